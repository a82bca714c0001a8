package io.hookrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.support.retention.RetentionSweep;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * ingest's retention (ADR 0022): each message keeps its payload for its own
 * {@code payloadRetentionPeriod}; the sweeps remove exactly what is past its window — a row one
 * second past goes, one a second short stays — a bounded batch per statement.
 */
class RetentionIT extends IngestIntegrationTest {

    private static final int BATCH = 2;

    @Autowired
    DatabaseClient db;

    @Autowired
    MeterRegistry meters;

    @Autowired
    @Qualifier("payloadSweep")
    RetentionSweep payloads;

    @Autowired
    @Qualifier("idempotencyKeySweep")
    RetentionSweep idempotencyKeys;

    @Autowired
    @Qualifier("eventIdSweep")
    RetentionSweep eventIds;

    @Test
    void storesEachMessagesPayloadExpiryFromItsRetentionPeriodNinetyDaysByDefault() {
        String app = createApplication("retention-period");

        String fiveDays = send(app, Map.of("eventType", "a", "payload", Map.of(), "payloadRetentionPeriod", 5));
        String byDefault = send(app, Map.of("eventType", "a", "payload", Map.of()));
        String newApp = "retention-new-" + UUID.randomUUID();
        String withNewApp = send(newApp, Map.of("eventType", "a", "payload", Map.of(),
                "payloadRetentionPeriod", 30, "application", Map.of("name", "n", "uid", newApp)));

        assertThat(keptFor(fiveDays)).isEqualTo(Duration.ofDays(5));
        assertThat(keptFor(byDefault)).isEqualTo(Duration.ofDays(90));
        assertThat(keptFor(withNewApp)).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void clearsExactlyThePayloadsPastTheirExpiryInBoundedBatchesAndKeepsTheMessages() {
        String app = createApplication("retention-payloads");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        var expired = new ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            expired.add(messageExpiringAt(app, now.minusSeconds(1)));
        }
        String stillKept = messageExpiringAt(app, now.plusSeconds(1));
        double countedBefore = deletedCounter("message_payload");
        var batches = new ArrayList<Long>();

        long cleared = underSmallBatches(payloads, now, batches).sweep().block();

        assertThat(cleared).isGreaterThanOrEqualTo(5);
        assertThat(batches).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(BATCH)).hasSizeGreaterThanOrEqualTo(3);
        assertThat(expired).allSatisfy(id -> assertThat(storedPayload(id)).isEqualTo("{}"));
        assertThat(storedPayload(stillKept)).isEqualTo("{\"secret\":\"4242\"}");
        assertThat(count("select count(*) from ingest.message where app_id = :k", app)).isEqualTo(6);
        assertThat(deletedCounter("message_payload") - countedBefore).isEqualTo(cleared);
    }

    @Test
    void aMessagePastItsRetentionReadsAsExpiredThroughTheApiAsSvixAnswers() {
        String app = createApplication("retention-api");
        String gone = messageExpiringAt(app, Instant.now().minusSeconds(1));
        String kept = send(app, Map.of("eventType", "a", "payload", Map.of("secret", "4242"), "payloadRetentionPeriod", 5));

        api.get().uri("/api/v1/app/{app}/msg/{id}", app, gone).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.id").isEqualTo(gone)
                .jsonPath("$.payload.expired").isEqualTo(true)
                .jsonPath("$.payload.secret").doesNotExist();
        api.get().uri("/api/v1/app/{app}/msg", app).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.data[?(@.id == '" + gone + "')].payload.expired").isEqualTo(true)
                .jsonPath("$.data[?(@.id == '" + kept + "')].payload.secret").isEqualTo("4242");
    }

    @Test
    void deletesExactlyTheIdempotencyKeysAndEventIdsOlderThanTheWindowInBoundedBatches() {
        String app = createApplication("retention-keys");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant windowStart = now.minus(Duration.ofHours(24));
        String run = UUID.randomUUID().toString();
        for (int i = 0; i < 3; i++) {
            insertKey("old-" + i + "-" + run, windowStart.minusSeconds(1));
            insertEventId(app, "old-" + i + "-" + run, windowStart.minusSeconds(1));
        }
        insertKey("fresh-" + run, windowStart.plusSeconds(1));
        insertEventId(app, "fresh-" + run, windowStart.plusSeconds(1));
        var keyBatches = new ArrayList<Long>();
        var eventIdBatches = new ArrayList<Long>();

        underSmallBatches(idempotencyKeys, now, keyBatches).sweep().block();
        underSmallBatches(eventIds, now, eventIdBatches).sweep().block();

        assertThat(count("select count(*) from ingest.idempotency_key where key like :k", "old-%" + run)).isZero();
        assertThat(count("select count(*) from ingest.idempotency_key where key = :k", "fresh-" + run)).isEqualTo(1);
        assertThat(count("select count(*) from ingest.message_event_id where event_id like :k", "old-%" + run)).isZero();
        assertThat(count("select count(*) from ingest.message_event_id where event_id = :k", "fresh-" + run)).isEqualTo(1);
        assertThat(keyBatches).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(BATCH)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(eventIdBatches).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(BATCH)).hasSizeGreaterThanOrEqualTo(2);
    }

    /** The service's own sweep statement, run at {@code now}, {@link #BATCH} rows at a time, each batch's size noted. */
    private RetentionSweep underSmallBatches(RetentionSweep sweep, Instant now, List<Long> batches) {
        RetentionSweep.Batch statement = sweep.batch();
        return new RetentionSweep(sweep.table(), Duration.ofHours(1), BATCH,
                (at, limit) -> statement.remove(at, limit).doOnNext(batches::add),
                Clock.fixed(now, ZoneOffset.UTC), meters);
    }

    private String messageExpiringAt(String app, Instant expiresAt) {
        String id = send(app, Map.of("eventType", "a", "payload", Map.of("secret", "4242")));
        db.sql("update ingest.message set payload_expires_at = :at where id = :id")
                .bind("at", expiresAt).bind("id", id).then().block();
        return id;
    }

    private Duration keptFor(String id) {
        return db.sql("select created_at, payload_expires_at from ingest.message where id = :id").bind("id", id)
                .map(row -> Duration.between(row.get(0, Instant.class), row.get(1, Instant.class)))
                .one().block();
    }

    private String storedPayload(String id) {
        return db.sql("select payload from ingest.message where id = :id").bind("id", id)
                .map(row -> row.get(0, String.class)).one().block();
    }

    private double deletedCounter(String table) {
        return meters.get(RetentionSweep.DELETED).tag("table", table).counter().count();
    }

    private String send(String app, Map<String, Object> body) {
        return api.post().uri("/api/v1/app/{app}/msg", app).bodyValue(body)
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
    }

    private void insertKey(String key, Instant createdAt) {
        db.sql("insert into ingest.idempotency_key (key, response_status, content_type, response_body, created_at)"
                        + " values (:k, 200, 'application/json', '\\x7b7d'::bytea, :at)")
                .bind("k", key).bind("at", createdAt).then().block();
    }

    private void insertEventId(String app, String eventId, Instant createdAt) {
        db.sql("insert into ingest.message_event_id (app_id, event_id, msg_id, created_at) values (:app, :e, :msg, :at)")
                .bind("app", app).bind("e", eventId).bind("msg", "msg_" + eventId).bind("at", createdAt).then().block();
    }

    private long count(String sql, String key) {
        return db.sql(sql).bind("k", key).map(row -> row.get(0, Long.class)).one().block();
    }
}
