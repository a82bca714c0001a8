package io.hookrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.ingest.idempotency.IdempotencyJanitor;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

/** Expired de-duplication records are deleted; those within the window stay. */
class IdempotencyJanitorIT extends IngestIntegrationTest {

    @Autowired
    IdempotencyJanitor janitor;

    @Autowired
    DatabaseClient db;

    @Test
    void deletesKeysAndEventIdsOlderThanTheWindowAndKeepsTheRest() {
        String app = createApplication("janitor");
        String old = "old-" + UUID.randomUUID();
        String fresh = "fresh-" + UUID.randomUUID();
        insertKey(old, "now() - interval '25 hours'");
        insertKey(fresh, "now() - interval '1 hour'");
        insertEventId(app, old, "now() - interval '25 hours'");
        insertEventId(app, fresh, "now()");

        long deleted = janitor.cleanOnce().block();

        assertThat(deleted).isGreaterThanOrEqualTo(2);
        assertThat(count("select count(*) from ingest.idempotency_key where key = :k", old)).isZero();
        assertThat(count("select count(*) from ingest.idempotency_key where key = :k", fresh)).isEqualTo(1);
        assertThat(count("select count(*) from ingest.message_event_id where event_id = :k", old)).isZero();
        assertThat(count("select count(*) from ingest.message_event_id where event_id = :k", fresh)).isEqualTo(1);
    }

    private void insertKey(String key, String createdAt) {
        db.sql("insert into ingest.idempotency_key (key, response_status, content_type, response_body, created_at)"
                        + " values (:k, 200, 'application/json', '\\x7b7d'::bytea, " + createdAt + ")")
                .bind("k", key).then().block();
    }

    private void insertEventId(String app, String eventId, String createdAt) {
        db.sql("insert into ingest.message_event_id (app_id, event_id, msg_id, created_at) values (:app, :e, :msg, "
                        + createdAt + ")")
                .bind("app", app).bind("e", eventId).bind("msg", "msg_" + eventId).then().block();
    }

    private long count(String sql, String key) {
        return db.sql(sql).bind("k", key).map(row -> row.get(0, Long.class)).one().block();
    }
}
