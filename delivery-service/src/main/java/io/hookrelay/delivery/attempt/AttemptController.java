package io.hookrelay.delivery.attempt;

import io.hookrelay.delivery.refs.IngestRefs;
import io.hookrelay.support.api.ApiException;
import io.hookrelay.support.api.ListResponse;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
class AttemptController {

    private final AttemptRepository attempts;
    private final IngestRefs refs;

    AttemptController(AttemptRepository attempts, IngestRefs refs) {
        this.attempts = attempts;
        this.refs = refs;
    }

    @Operation(operationId = "v1.message-attempt.list-by-msg")
    @GetMapping("/api/v1/app/{appId}/attempt/msg/{msgId}")
    Mono<ListResponse<MessageAttemptOut>> listByMessage(
            @PathVariable String appId,
            @PathVariable String msgId,
            @RequestParam(defaultValue = "50") int limit,
            @RequestParam(required = false) String iterator,
            @RequestParam(name = "endpoint_id", required = false) String endpointId,
            @RequestParam(required = false) Integer status,
            @RequestParam(name = "status_code_class", required = false) Integer statusCodeClass,
            @RequestParam(name = "event_types", required = false) List<String> eventTypes,
            @RequestParam(required = false) String channel,
            @RequestParam(required = false) Instant before,
            @RequestParam(required = false) Instant after,
            @RequestParam(name = "with_content", defaultValue = "true") boolean withContent) {
        int pageSize = Math.clamp(limit, 1, 250);
        var filter = new AttemptFilter(status, statusCodeClass, eventTypes, channel, before, after);
        Mono<Optional<String>> toEndpoint = endpointId == null
                ? Mono.just(Optional.empty())
                : refs.endpoint(appId, endpointId).map(ref -> Optional.of(ref.endpointId()));
        return refs.message(appId, msgId)
                .zipWith(toEndpoint)
                .flatMap(found -> attempts.listByMessage(found.getT1().appId(), found.getT1().msgId(),
                                found.getT2().orElse(null), filter, withContent, iterator, pageSize)
                        .map(MessageAttemptOut::of)
                        .collectList())
                .map(rows -> ListResponse.page(rows, pageSize, MessageAttemptOut::id));
    }

    @Operation(operationId = "v1.message-attempt.list-by-endpoint")
    @GetMapping("/api/v1/app/{appId}/attempt/endpoint/{endpointId}")
    Mono<ListResponse<MessageAttemptOut>> listByEndpoint(
            @PathVariable String appId,
            @PathVariable String endpointId,
            @RequestParam(defaultValue = "50") int limit,
            @RequestParam(required = false) String iterator,
            @RequestParam(required = false) Integer status,
            @RequestParam(name = "status_code_class", required = false) Integer statusCodeClass,
            @RequestParam(name = "event_types", required = false) List<String> eventTypes,
            @RequestParam(required = false) String channel,
            @RequestParam(required = false) Instant before,
            @RequestParam(required = false) Instant after,
            @RequestParam(name = "with_content", defaultValue = "true") boolean withContent) {
        int pageSize = Math.clamp(limit, 1, 250);
        var filter = new AttemptFilter(status, statusCodeClass, eventTypes, channel, before, after);
        return refs.endpoint(appId, endpointId)
                .flatMap(ref -> attempts.listByEndpoint(ref.appId(), ref.endpointId(), filter, withContent, iterator, pageSize)
                        .map(MessageAttemptOut::of)
                        .collectList())
                .map(rows -> ListResponse.page(rows, pageSize, MessageAttemptOut::id));
    }

    @Operation(operationId = "v1.message-attempt.get")
    @GetMapping("/api/v1/app/{appId}/msg/{msgId}/attempt/{attemptId}")
    Mono<MessageAttemptOut> get(@PathVariable String appId, @PathVariable String msgId, @PathVariable String attemptId) {
        return refs.message(appId, msgId)
                .flatMap(message -> attempts.find(message.appId(), message.msgId(), attemptId))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("Attempt")))
                .map(MessageAttemptOut::of);
    }

    @Operation(operationId = "v1.message-attempt.expunge-content")
    @DeleteMapping("/api/v1/app/{appId}/msg/{msgId}/attempt/{attemptId}/content")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> expungeContent(@PathVariable String appId, @PathVariable String msgId, @PathVariable String attemptId) {
        return refs.message(appId, msgId)
                .flatMap(message -> attempts.expungeContent(message.appId(), message.msgId(), attemptId))
                .flatMap(found -> found ? Mono.<Void>empty() : Mono.error(ApiException.notFound("Attempt")));
    }
}
