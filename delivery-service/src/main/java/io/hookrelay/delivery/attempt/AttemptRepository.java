package io.hookrelay.delivery.attempt;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;

/** Reads attempts from PostgreSQL (schema {@code delivery}); {@link OutcomeWriter} writes them. */
@Repository
public class AttemptRepository {

    private static final String COLUMNS = "id, app_id, msg_id, endpoint_id, url, status, response_status_code,"
            + " response, response_duration_ms, trigger_type, outcome, created_at";

    private final DatabaseClient db;

    public AttemptRepository(DatabaseClient db) {
        this.db = db;
    }

    /** Newest first, starting after {@code iterator} (an attempt id), one more than {@code limit}. */
    Flux<Attempt> listByMessage(String appId, String msgId, String iterator, int limit) {
        return db.sql("select " + COLUMNS + " from delivery.attempt where app_id = :appId and msg_id = :msgId"
                        + " and id collate \"C\" < :before order by id collate \"C\" desc limit :limit")
                .bind("appId", appId)
                .bind("msgId", msgId)
                .bind("before", iterator == null ? "\uffff" : iterator)
                .bind("limit", limit + 1)
                .map(AttemptRepository::read)
                .all();
    }

    private static Attempt read(Readable row) {
        return new Attempt(
                row.get("id", String.class),
                row.get("app_id", String.class),
                row.get("msg_id", String.class),
                row.get("endpoint_id", String.class),
                row.get("url", String.class),
                row.get("status", Short.class),
                row.get("response_status_code", Short.class),
                row.get("response", String.class),
                row.get("response_duration_ms", Long.class),
                row.get("trigger_type", Short.class),
                row.get("outcome", String.class),
                row.get("created_at", Instant.class));
    }
}
