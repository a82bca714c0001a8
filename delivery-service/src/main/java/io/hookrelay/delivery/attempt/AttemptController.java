package io.hookrelay.delivery.attempt;

import io.hookrelay.support.api.ApiException;
import io.hookrelay.support.api.ListResponse;
import org.springframework.r2dbc.core.DatabaseClient;
import java.time.Instant;
import java.util.List;
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
    private final DatabaseClient db;

    AttemptController(AttemptRepository attempts, DatabaseClient db) {
        this.attempts = attempts;
        this.db = db;
    }

    @GetMapping("/api/v1/app/{appId}/attempt/msg/{msgId}")
    Mono<ListResponse<MessageAttemptOut>> listByMessage(
            @PathVariable String appId,
            @PathVariable String msgId,
            @RequestParam(defaultValue = "50") int limit,
            @RequestParam(required = false) String iterator) {
        int pageSize = Math.clamp(limit, 1, 250);
        return requireMessage(appId, msgId)
                .flatMap(message -> attempts.listByMessage(message.appId(), message.msgId(), iterator, pageSize)
                        .map(MessageAttemptOut::of)
                        .collectList())
                .map(rows -> ListResponse.page(rows, pageSize, MessageAttemptOut::id));
    }

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
            @RequestParam(required = false) Instant after) {
        int pageSize = Math.clamp(limit, 1, 250);
        var filter = new AttemptFilter(status, statusCodeClass, eventTypes, channel, before, after);
        return requireEndpoint(appId, endpointId)
                .flatMap(ref -> attempts.listByEndpoint(ref.appId(), ref.endpointId(), filter, iterator, pageSize)
                        .map(MessageAttemptOut::of)
                        .collectList())
                .map(rows -> ListResponse.page(rows, pageSize, MessageAttemptOut::id));
    }

    @GetMapping("/api/v1/app/{appId}/msg/{msgId}/attempt/{attemptId}")
    Mono<MessageAttemptOut> get(@PathVariable String appId, @PathVariable String msgId, @PathVariable String attemptId) {
        return requireMessage(appId, msgId)
                .flatMap(message -> attempts.find(message.appId(), message.msgId(), attemptId))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("Attempt")))
                .map(MessageAttemptOut::of);
    }

    @DeleteMapping("/api/v1/app/{appId}/msg/{msgId}/attempt/{attemptId}/content")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> expungeContent(@PathVariable String appId, @PathVariable String msgId, @PathVariable String attemptId) {
        return requireMessage(appId, msgId)
                .flatMap(message -> attempts.expungeContent(message.appId(), message.msgId(), attemptId))
                .flatMap(found -> found ? Mono.<Void>empty() : Mono.error(ApiException.notFound("Attempt")));
    }

    private Mono<EndpointRef> requireEndpoint(String appRef, String endpointRef) {
        return db.sql("select a.id as app_id, e.id as endpoint_id from ingest.application a"
                        + " left join ingest.endpoint e on e.app_id = a.id and (e.id = :ep or e.uid = :ep)"
                        + " where a.id = :app or a.uid = :app limit 1")
                .bind("app", appRef)
                .bind("ep", endpointRef)
                .map(row -> new EndpointRef(row.get("app_id", String.class), row.get("endpoint_id", String.class)))
                .one()
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("Application")))
                .flatMap(ref -> ref.endpointId() == null ? Mono.error(ApiException.notFound("Endpoint")) : Mono.just(ref));
    }

    private record EndpointRef(String appId, String endpointId) {}

    /** Resolves the application (id or uid) and message as ingest-service stored them, or a 404. */
    private Mono<MessageRef> requireMessage(String appRef, String msgRef) {
        return db.sql("select a.id as app_id, m.id as msg_id from ingest.application a"
                        + " left join ingest.message m on m.app_id = a.id and (m.id = :msg or m.event_id = :msg)"
                        + " where a.id = :app or a.uid = :app limit 1")
                .bind("app", appRef)
                .bind("msg", msgRef)
                .map(row -> new MessageRef(row.get("app_id", String.class), row.get("msg_id", String.class)))
                .one()
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("Application")))
                .flatMap(ref -> ref.msgId() == null ? Mono.error(ApiException.notFound("Message")) : Mono.just(ref));
    }

    private record MessageRef(String appId, String msgId) {}
}
