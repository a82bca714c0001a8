package io.hookrelay.ingest.message;

import io.hookrelay.ingest.application.ApplicationRepository;
import io.hookrelay.ingest.endpoint.EndpointRepository;
import io.hookrelay.ingest.eventtype.EventTypeExamples;
import jakarta.validation.Valid;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Svix's send-example: a new message whose payload is the event type's example, delivered to the
 * one endpoint named in the path and to no other endpoint of the application. As in the Svix
 * server, the endpoint's filters still apply (a disabled endpoint, or one whose event types or
 * channels exclude the message, gets nothing, yet the message is created and answered 200).
 * The {@code idempotency-key} header is honoured by {@code IdempotencyFilter} like on every POST.
 */
@RestController
class SendExampleController {

    private final ApplicationRepository applications;
    private final EndpointRepository endpoints;
    private final EventTypeExamples examples;
    private final MessageService messages;
    private final AcceptLog acceptLog;

    SendExampleController(
            ApplicationRepository applications,
            EndpointRepository endpoints,
            EventTypeExamples examples,
            MessageService messages,
            AcceptLog acceptLog) {
        this.applications = applications;
        this.endpoints = endpoints;
        this.examples = examples;
        this.messages = messages;
        this.acceptLog = acceptLog;
    }

    /**
     * 200 (not 202, as message create) with the message, payload included: the Svix server answers
     * an empty payload object here, but the shape is the same and the example is what the caller
     * wants to see.
     */
    @Operation(operationId = "v1.endpoint.send-example")
    @PostMapping("/api/v1/app/{appId}/endpoint/{endpointId}/send-example")
    Mono<MessageOut> sendExample(
            @PathVariable String appId,
            @PathVariable String endpointId,
            @Valid @RequestBody EventExampleIn in,
            ServerWebExchange exchange) {
        int index = in.exampleIndex() == null ? 0 : (int) Math.min(in.exampleIndex(), Integer.MAX_VALUE);
        return applications
                .require(appId)
                .flatMap(app -> endpoints.require(app.id(), endpointId))
                .flatMap(endpoint -> examples.example(in.eventType(), index)
                        .flatMap(payload -> messages.acceptForEndpoint(
                                endpoint.appId(), endpoint.id(), in.eventType(), payload, RequestTrace.traceparent(exchange))))
                .doOnNext(message -> acceptLog.accepted(appId, message, exchange));
    }
}
