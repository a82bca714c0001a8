package io.hookrelay.ingest.message;

import io.hookrelay.events.MessageAccepted;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Messages in PostgreSQL (schema {@code ingest}). */
@Repository
class MessageRepository {

    private final DatabaseClient db;

    MessageRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<Void> insert(MessageAccepted message) {
        return db.sql("insert into ingest.message (id, app_id, event_type, event_id, channels, payload, created_at)"
                        + " values (:id, :appId, :eventType, :eventId, :channels, :payload, :createdAt)")
                .bind("id", message.messageId())
                .bind("appId", message.appId())
                .bind("eventType", message.eventType())
                .bind("eventId", Parameter.fromOrEmpty(message.eventId(), String.class))
                .bind("channels", Parameter.fromOrEmpty(
                        message.channels().isEmpty() ? null : message.channels().toArray(String[]::new), String[].class))
                .bind("payload", message.payload())
                .bind("createdAt", message.timestamp())
                .then();
    }

    Mono<MessageAccepted> find(String appId, String messageId) {
        return db.sql("select id, app_id, event_type, event_id, channels, payload, created_at from ingest.message"
                        + " where app_id = :appId and id = :id")
                .bind("appId", appId)
                .bind("id", messageId)
                .map(MessageRepository::read)
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
