package io.hookrelay.delivery.dispatch;

import io.hookrelay.events.MessageAccepted;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Reads a stored message back (read-only, from ingest's table; see docs/adr/0002) for a retry. A
 * message whose payload is gone — past its retention or expunged — is not found, so its retry is
 * dropped, as the Svix worker drops a task whose payload expired (ADR 0022).
 */
@Component
class MessageStore {

    private static final String SELECT = "select id, app_id, event_type, event_id, channels, payload, created_at"
            + " from ingest.message where payload_expunged_at is null and payload_expires_at > now() and ";

    private final DatabaseClient db;

    MessageStore(DatabaseClient db) {
        this.db = db;
    }

    Mono<MessageAccepted> find(String appId, String messageId) {
        return db.sql(SELECT + "app_id = :app and id = :id")
                .bind("app", appId)
                .bind("id", messageId)
                .map(MessageStore::read)
                .one();
    }

    /**
     * The messages among {@code messageIds} that still exist with their payload, by id, in one statement: a poll
     * brings back many rows, often several for one message (one per endpoint).
     */
    Mono<Map<String, MessageAccepted>> findAll(Collection<String> messageIds) {
        if (messageIds.isEmpty()) {
            return Mono.just(Map.of());
        }
        return db.sql(SELECT + "id = any(:ids)")
                .bind("ids", messageIds.toArray(String[]::new))
                .map(MessageStore::read)
                .all()
                .collectMap(MessageAccepted::messageId);
    }

    private static MessageAccepted read(Readable row) {
        String[] channels = row.get("channels", String[].class);
        return new MessageAccepted(
                row.get("app_id", String.class),
                row.get("id", String.class),
                row.get("event_type", String.class),
                row.get("event_id", String.class),
                channels == null ? List.of() : Arrays.asList(channels),
                row.get("payload", String.class),
                row.get("created_at", Instant.class));
    }
}
