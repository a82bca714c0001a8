package io.hookrelay.ingest.idempotency;

import java.nio.ByteBuffer;
import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** First responses to POSTs carrying an {@code idempotency-key}, in {@code ingest.idempotency_key}. */
@Repository
class IdempotencyStore {

    /** A recorded response; {@code status} is null while the first request is still running. */
    record Recorded(Integer status, String contentType, byte[] body) {
        boolean inProgress() {
            return status == null;
        }
    }

    private final DatabaseClient db;

    IdempotencyStore(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Takes the key for this request: true when it is new, expired (older than {@code expiredBefore})
     * or abandoned (still in progress since before {@code abandonedBefore}, e.g. its process died).
     * The primary key makes exactly one of several concurrent requests win.
     */
    Mono<Boolean> claim(String key, Instant now, Instant expiredBefore, Instant abandonedBefore) {
        return db.sql("insert into ingest.idempotency_key (key, created_at) values (:key, :now)"
                        + " on conflict (key) do update set response_status = null, content_type = null,"
                        + " response_body = null, created_at = excluded.created_at"
                        + " where ingest.idempotency_key.created_at < :expiredBefore"
                        + " or (ingest.idempotency_key.response_status is null"
                        + " and ingest.idempotency_key.created_at < :abandonedBefore)"
                        + " returning key")
                .bind("key", key)
                .bind("now", now)
                .bind("expiredBefore", expiredBefore)
                .bind("abandonedBefore", abandonedBefore)
                .map(row -> row.get("key", String.class))
                .one()
                .hasElement();
    }

    Mono<Recorded> find(String key) {
        return db.sql("select response_status, content_type, response_body from ingest.idempotency_key where key = :key")
                .bind("key", key)
                .map(row -> new Recorded(
                        row.get("response_status", Integer.class),
                        row.get("content_type", String.class),
                        bytes(row.get("response_body", ByteBuffer.class))))
                .one();
    }

    Mono<Void> record(String key, int status, String contentType, byte[] body) {
        return db.sql("update ingest.idempotency_key set response_status = :status, content_type = :contentType,"
                        + " response_body = :body where key = :key")
                .bind("key", key)
                .bind("status", status)
                .bind("contentType", Parameter.fromOrEmpty(contentType, String.class))
                .bind("body", body)
                .then();
    }

    /** Forgets the key, so a retry runs the request again (after a failure that must not be replayed). */
    Mono<Void> release(String key) {
        return db.sql("delete from ingest.idempotency_key where key = :key and response_status is null")
                .bind("key", key)
                .then();
    }

    Mono<Long> deleteExpired(Instant expiredBefore) {
        return db.sql("delete from ingest.idempotency_key where created_at < :before")
                .bind("before", expiredBefore)
                .fetch()
                .rowsUpdated();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return new byte[0];
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
