package io.hookrelay.delivery.dispatch;

import io.hookrelay.events.MessageAccepted;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Reads a stored message back (read-only, from ingest's table; see docs/adr/0002) for a retry. */
@Component
class MessageStore {

    private final DatabaseClient db;

    MessageStore(DatabaseClient db) {
        this.db = db;
    }

    Mono<MessageAccepted> find(String appId, String messageId) {
        return db.sql("select id, app_id, event_type, event_id, channels, payload, created_at from ingest.message"
                        + " where app_id = :app and id = :id")
                .bind("app", appId)
                .bind("id", messageId)
                .map(MessageStore::read)
                .one();
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
