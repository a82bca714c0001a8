package io.hookrelay.delivery.attempt;

import io.hookrelay.support.api.ApiException;
import io.hookrelay.support.api.ListResponse;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
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
