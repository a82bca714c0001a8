package io.hookrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookrelay.support.retention.RetentionSweep;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * delivery's side of retention (ADR 0022): attempts older than the window are deleted — one a
 * second past it goes, one a second short stays — a bounded batch per statement; a message whose
 * payload expired is never sent again, as in the Svix server (a due retry is dropped, a resend is
 * 400 {@code missing_payload}).
 */
class RetentionIT extends DeliveryIntegrationTest {

    private static final int BATCH = 2;

    @Autowired
    RetentionSweep attemptSweep;

    @Autowired
    MeterRegistry meters;

    WebTestClient api;

    @BeforeEach
    void client() {
        api = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .defaultHeader("X-HookRelay-Internal-Token", INTERNAL_TOKEN).defaultHeader("X-HookRelay-Scope", "org").build();
    }

    @Test
    void deletesExactlyTheAttemptsOlderThanTheWindowInBoundedBatches() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant windowStart = now.minus(Duration.ofDays(90));
        var old = new ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            old.add(insertAttempt(windowStart.minusSeconds(1)));
        }
        String kept = insertAttempt(windowStart.plusSeconds(1));
        double countedBefore = meters.get(RetentionSweep.DELETED).tag("table", "attempt").counter().count();
        var batches = new ArrayList<Long>();
        RetentionSweep.Batch statement = attemptSweep.batch();
        var sweep = new RetentionSweep("attempt", Duration.ofHours(1), BATCH,
                (at, limit) -> statement.remove(at, limit).doOnNext(batches::add), Clock.fixed(now, ZoneOffset.UTC), meters);

        long deleted = sweep.sweep().block();

        assertThat(deleted).isGreaterThanOrEqualTo(5);
        assertThat(batches).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(BATCH)).hasSizeGreaterThanOrEqualTo(3);
        assertThat(old).allSatisfy(id -> assertThat(attemptExists(id)).isFalse());
        assertThat(attemptExists(kept)).isTrue();
        assertThat(meters.get(RetentionSweep.DELETED).tag("table", "attempt").counter().count() - countedBefore)
                .isEqualTo(deleted);
    }

    @Test
    void dropsTheDueRetryOfAMessageWhosePayloadExpiredAndMakesTheOthers() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);
        String expired = storedMessageExpiringIn("-1 second");
        String kept = storedMessageExpiringIn("1 minute");

        scheduleRetryNow(expired, endpoint);
        scheduleRetryNow(kept, endpoint);

        await().atMost(Duration.ofSeconds(20)).until(() -> attemptCount(kept) == 1 && pendingRows(expired) == 0);
        assertThat(attemptCount(expired)).isZero();
        assertThat(receiver.received("/ok")).noneSatisfy(request -> assertThat(header(request, "webhook-id")).isEqualTo(expired));
    }

    @Test
    void refusesToResendAMessageWhosePayloadExpiredAsSvixDoes() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);
        var message = publish("expiring.resend", List.of(), "{\"secret\":\"4242\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> attempts(message).size() == 1);

        expirePayload(message.messageId());

        api.post().uri("/api/v1/app/{app}/msg/{msg}/endpoint/{ep}/resend", appId, message.messageId(), endpoint).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("missing_payload");
        assertThat(received("/ok", message)).hasSize(1);
    }

    /** One second past its expiry, not yet cleared by ingest's sweep: the expiry alone decides. */
    private void expirePayload(String messageId) {
        db.sql("update ingest.message set payload_expires_at = now() - interval '1 second' where id = :id")
                .bind("id", messageId).then().block();
    }

    /** A message as ingest stores it, its payload expiring at now() + {@code interval}; nothing produced. */
    private String storedMessageExpiringIn(String interval) {
        String id = ids.next("msg");
        db.sql("insert into ingest.message (id, app_id, event_type, payload, created_at, payload_expires_at)"
                        + " values (:id, :app, 'expiring.retry', '{\"secret\":\"4242\"}', now(), now() + cast(:interval as interval))")
                .bind("id", id).bind("app", appId).bind("interval", interval).then().block();
        return id;
    }

    /** A retry owed since an earlier attempt, due now. */
    private void scheduleRetryNow(String messageId, String endpointId) {
        db.sql("insert into delivery.pending_delivery (msg_id, endpoint_id, app_id, attempts, state, due_at, last_outcome,"
                        + " last_reason, updated_at) values (:msg, :ep, :app, 1, 'scheduled', now(), 'retryable', 'HTTP 503', now())")
                .bind("msg", messageId).bind("ep", endpointId).bind("app", appId).then().block();
    }

    private long attemptCount(String messageId) {
        return db.sql("select count(*) from delivery.attempt where msg_id = :msg").bind("msg", messageId)
                .map(row -> row.get(0, Long.class)).one().block();
    }

    private String insertAttempt(Instant createdAt) {
        String id = ids.next("atmpt");
        db.sql("insert into delivery.attempt (id, app_id, msg_id, endpoint_id, url, status, response_status_code,"
                        + " response, response_duration_ms, trigger_type, outcome, created_at)"
                        + " values (:id, :app, 'msg_retention', 'ep_retention', 'https://example.test/', 0, 200, '', 1, 0,"
                        + " 'delivered', :at)")
                .bind("id", id).bind("app", appId).bind("at", createdAt).then().block();
        return id;
    }

    private boolean attemptExists(String id) {
        return db.sql("select count(*) from delivery.attempt where id = :id").bind("id", id)
                .map(row -> row.get(0, Long.class)).one().block() == 1;
    }

    private long pendingRows(String messageId) {
        return db.sql("select count(*) from delivery.pending_delivery where msg_id = :msg").bind("msg", messageId)
                .map(row -> row.get(0, Long.class)).one().block();
    }
}
