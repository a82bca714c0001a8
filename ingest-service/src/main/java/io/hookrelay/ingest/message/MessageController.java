package io.hookrelay.ingest.message;

import io.hookrelay.events.MessageAccepted;
import io.hookrelay.ingest.api.Page;
import io.hookrelay.ingest.application.ApplicationRepository;
import io.hookrelay.ingest.idempotency.ResponseKeys;
import io.hookrelay.ingest.message.MessageRepository.MessageFilter;
import io.hookrelay.support.api.ApiException;
import io.hookrelay.support.api.ListResponse;
import io.hookrelay.support.security.CallerScope;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

@RestController
@RequestMapping("/api/v1/app/{appId}/msg")
class MessageController {

    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9\\-_.]+$");

    private final MessageService service;
    private final ApplicationRepository applications;
    private final MessageRepository messages;
    private final JsonMapper json;
    private final Clock clock;
    private final AcceptLog acceptLog;

    MessageController(
            MessageService service,
            ApplicationRepository applications,
            MessageRepository messages,
            JsonMapper json,
            Clock clock,
            AcceptLog acceptLog) {
        this.service = service;
        this.applications = applications;
        this.messages = messages;
        this.json = json;
        this.clock = clock;
        this.acceptLog = acceptLog;
    }

    /** 202 once the message is durably stored; its publication to Kafka follows. */
    @Operation(operationId = "v1.message.create")
    @PostMapping
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<MessageOut> create(
            @PathVariable String appId,
            @Valid @RequestBody MessageIn in,
            @RequestParam(name = "with_content", defaultValue = "true") boolean withContent,
            ServerWebExchange exchange) {
        return service.accept(appId, applicationScoped(exchange.getRequest()) ? in.withoutApplication() : in, withContent,
                        RequestTrace.traceparent(exchange), ResponseKeys.scope(exchange))
                .doOnNext(message -> acceptLog.accepted(appId, message, exchange));
    }

    /**
     * The gateway says an application-scoped token sent this ({@code X-HookRelay-Scope: app:…};
     * clients cannot set it). Such a token may not create applications: had its application been
     * deleted, {@code MessageIn.application} would otherwise bring it back under the token's uid.
     */
    private static boolean applicationScoped(ServerHttpRequest request) {
        String scope = request.getHeaders().getFirst(CallerScope.HEADER);
        return scope != null && scope.startsWith("app:");
    }

    /** By id or eventId. */
    @Operation(operationId = "v1.message.get")
    @GetMapping("/{msgId}")
    Mono<MessageOut> get(
            @PathVariable String appId,
            @PathVariable String msgId,
            @RequestParam(name = "with_content", defaultValue = "true") boolean withContent) {
        return find(appId, msgId).map(message -> MessageOut.of(message, null, json, withContent));
    }

    /** Newest first, as Svix lists messages; {@code before}/{@code after} are ignored with an iterator. */
    @Operation(operationId = "v1.message.list")
    @GetMapping
    Mono<ListResponse<MessageOut>> list(
            @PathVariable String appId,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String iterator,
            @RequestParam(name = "event_types", required = false) List<String> eventTypes,
            @RequestParam(required = false) String channel,
            @RequestParam(required = false) String before,
            @RequestParam(required = false) String after,
            @RequestParam(name = "with_content", defaultValue = "true") boolean withContent) {
        if (before != null && after != null) {
            throw ApiException.validation("before", "before and after cannot be used together");
        }
        if (eventTypes != null) {
            eventTypes.forEach(type -> checkName("event_types", type, 256));
        }
        if (channel != null) {
            checkName("channel", channel, 128);
        }
        var filter = new MessageFilter(eventTypes, channel, instant("before", before), instant("after", after));
        Page page = Page.of(limit, iterator, null, true);
        return applications
                .require(appId)
                .flatMapMany(app -> messages.list(app.id(), filter, page))
                .map(message -> MessageOut.of(message, null, json, withContent))
                .collectList()
                .map(rows -> page.response(rows, MessageOut::id));
    }

    /** Svix's expunge: the payload is deleted for good, the message (and its attempts) stay. */
    @Operation(operationId = "v1.message.expunge-content")
    @DeleteMapping("/{msgId}/content")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> expungeContent(@PathVariable String appId, @PathVariable String msgId) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return find(appId, msgId).flatMap(message -> messages.expungePayload(message.messageId(), now));
    }

    private Mono<MessageAccepted> find(String appId, String msgId) {
        return applications
                .require(appId)
                .flatMap(app -> messages.find(app.id(), msgId))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("Message")));
    }

    private static void checkName(String field, String value, int maxLength) {
        if (value.length() > maxLength || !NAME.matcher(value).matches()) {
            throw ApiException.validation(field, field + " may contain only a-z A-Z 0-9 - _ . (at most " + maxLength + ")");
        }
    }

    /** RFC 3339; a '+' of an offset that arrived unencoded in the query string reads as a space. */
    private static Instant instant(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.replace(' ', '+')).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.validation(field, field + " must be an RFC 3339 date-time");
        }
    }
}
