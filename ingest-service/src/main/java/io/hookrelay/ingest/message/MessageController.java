package io.hookrelay.ingest.message;

import io.hookrelay.support.api.ApiException;
import io.hookrelay.ingest.application.ApplicationRepository;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

@RestController
@RequestMapping("/api/v1/app/{appId}/msg")
class MessageController {

    private final MessageService service;
    private final ApplicationRepository applications;
    private final MessageRepository messages;
    private final JsonMapper json;

    MessageController(
            MessageService service, ApplicationRepository applications, MessageRepository messages, JsonMapper json) {
        this.service = service;
        this.applications = applications;
        this.messages = messages;
        this.json = json;
    }

    /** 202 once the message is durably stored; its publication to Kafka follows. */
    @PostMapping
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<MessageOut> create(@PathVariable String appId, @Valid @RequestBody MessageIn in) {
        return service.accept(appId, in);
    }

    @GetMapping("/{messageId}")
    Mono<MessageOut> get(@PathVariable String appId, @PathVariable String messageId) {
        return applications
                .require(appId)
                .flatMap(app -> messages.find(app.id(), messageId))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("Message")))
                .map(message -> new MessageOut(
                        message.messageId(),
                        message.eventType(),
                        message.eventId(),
                        message.channels().isEmpty() ? null : message.channels(),
                        json.readTree(message.payload()),
                        message.timestamp()));
    }
}
