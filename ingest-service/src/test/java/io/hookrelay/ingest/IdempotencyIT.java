package io.hookrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

/** idempotency-key on every POST and eventId on messages: a retry within 24 h changes nothing. */
class IdempotencyIT extends IngestIntegrationTest {

    @Autowired
    DatabaseClient db;

    @Test
    void repeatedApplicationCreateWithTheSameKeyReturnsTheOriginalAndCreatesNothing() {
        String key = UUID.randomUUID().toString();
        String name = "idem-app-" + UUID.randomUUID();

        String first = createAppWithKey(name, key);
        String second = createAppWithKey(name, key);

        assertThat(second).isEqualTo(first);
        assertThat(count("select count(*) from ingest.application where name = :v", name)).isEqualTo(1);
    }

    @Test
    void repeatedMessageCreateWithTheSameKeyReturnsTheOriginalMessageAndPublishesOnce() {
        String app = createApplication("idem-msg");
        String key = UUID.randomUUID().toString();

        var first = postMessage(app, key, Map.of("eventType", "order.paid", "payload", Map.of("n", 1)));
        var second = api.post().uri("/api/v1/app/{app}/msg", app)
                .header("idempotency-key", key)
                .bodyValue(Map.of("eventType", "order.paid", "payload", Map.of("n", 1)))
                .exchange()
                .expectStatus().isAccepted()
                .expectHeader().valueEquals("idempotent-replayed", "true")
                .expectBody(Map.class).returnResult().getResponseBody();

        assertThat(second).isEqualTo(first);
        assertThat(count("select count(*) from ingest.message where app_id = :v", app)).isEqualTo(1);
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aReplayAnswersOnceAndRunsNothingAfterIt(CapturedOutput output) {
        String app = createApplication("idem-replay-once");
        String key = UUID.randomUUID().toString();
        var body = Map.of("eventType", "a", "payload", Map.of("n", 1));
        postMessage(app, key, body);

        for (int i = 0; i < 3; i++) {
            api.post().uri("/api/v1/app/{app}/msg", app)
                    .header("idempotency-key", key)
                    .bodyValue(body)
                    .exchange()
                    .expectStatus().isAccepted()
                    .expectHeader().valueEquals("idempotent-replayed", "true");
        }

        // a replay that went on after answering wrote to a committed response: WebFlux logs the
        // failure ("... already committed") once the client has its answer
        assertThat(output.getAll()).doesNotContain("UnsupportedOperationException").doesNotContain("already committed");
    }

    @Test
    void theSameKeyOnAnotherOperationIsAnotherRequest() {
        String key = UUID.randomUUID().toString();

        String one = createAppWithKey("scoped", key);
        String app = createApplication("scoped-other");
        var message = postMessage(app, key, Map.of("eventType", "a", "payload", Map.of()));

        assertThat(one).startsWith("app_");
        assertThat(message.get("id").toString()).startsWith("msg_");
    }

    @Test
    void concurrentRetriesWithOneKeyCreateExactlyOneMessage() {
        String app = createApplication("idem-concurrent");
        String key = UUID.randomUUID().toString();

        List<String> ids = IntStream.range(0, 6)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> postMessage(app, key,
                        Map.of("eventType", "a", "payload", Map.of("i", 1))).get("id").toString()))
                .toList().stream().map(CompletableFuture::join).toList();

        assertThat(ids).containsOnly(ids.getFirst());
        assertThat(count("select count(*) from ingest.message where app_id = :v", app)).isEqualTo(1);
    }

    @Test
    void aRefusedRequestIsNotReplayedSoTheCorrectedRetryRuns() {
        String key = UUID.randomUUID().toString();

        api.post().uri("/api/v1/app").header("idempotency-key", key).bodyValue(Map.of("name", ""))
                .exchange().expectStatus().isEqualTo(422);
        String id = createAppWithKey("corrected", key);

        assertThat(id).startsWith("app_");
    }

    @Test
    void aRepeatedEventIdReturnsTheOriginalMessageAndStoresNothingNew() {
        String app = createApplication("event-id");
        String eventId = "evt-" + UUID.randomUUID();

        var first = postMessage(app, null, Map.of("eventType", "a", "eventId", eventId, "payload", Map.of("v", 1)));
        var second = postMessage(app, null, Map.of("eventType", "a", "eventId", eventId, "payload", Map.of("v", 2)));

        assertThat(second.get("id")).isEqualTo(first.get("id"));
        assertThat(second.get("payload")).isEqualTo(Map.of("v", 1));
        assertThat(count("select count(*) from ingest.message where app_id = :v", app)).isEqualTo(1);
        assertThat(count("select count(*) from ingest.outbox where record_key = :v", second.get("id").toString()))
                .isLessThanOrEqualTo(1);
    }

    @Test
    void anEventIdOlderThan24HoursMayBeUsedAgain() {
        String app = createApplication("event-id-expired");
        String eventId = "evt-" + UUID.randomUUID();
        var first = postMessage(app, null, Map.of("eventType", "a", "eventId", eventId, "payload", Map.of()));
        db.sql("update ingest.message_event_id set created_at = created_at - interval '25 hours' where event_id = :e")
                .bind("e", eventId).then().block();

        var second = postMessage(app, null, Map.of("eventType", "a", "eventId", eventId, "payload", Map.of()));

        assertThat(second.get("id")).isNotEqualTo(first.get("id"));
        assertThat(count("select count(*) from ingest.message where app_id = :v", app)).isEqualTo(2);
    }

    @Test
    void theSameEventIdInAnotherApplicationIsAnotherMessage() {
        String eventId = "evt-" + UUID.randomUUID();

        var one = postMessage(createApplication("eid-1"), null, Map.of("eventType", "a", "eventId", eventId, "payload", Map.of()));
        var two = postMessage(createApplication("eid-2"), null, Map.of("eventType", "a", "eventId", eventId, "payload", Map.of()));

        assertThat(two.get("id")).isNotEqualTo(one.get("id"));
    }

    /**
     * The second request stores nothing (its eventId is taken) though its key was claimed in the
     * same transaction: the key must not keep an answer naming a message that was never stored.
     */
    @Test
    void aRepeatedEventIdUnderAnotherKeyAnswersTheOriginalEveryTime() {
        String app = createApplication("event-id-keys");
        String eventId = "evt-" + UUID.randomUUID();
        String secondKey = UUID.randomUUID().toString();

        var first = postMessage(app, UUID.randomUUID().toString(), Map.of("eventType", "a", "eventId", eventId, "payload", Map.of("v", 1)));
        var second = postMessage(app, secondKey, Map.of("eventType", "a", "eventId", eventId, "payload", Map.of("v", 2)));
        var retried = postMessage(app, secondKey, Map.of("eventType", "a", "eventId", eventId, "payload", Map.of("v", 2)));

        assertThat(second.get("id")).isEqualTo(first.get("id"));
        assertThat(retried.get("id")).isEqualTo(first.get("id"));
        assertThat(retried.get("payload")).isEqualTo(Map.of("v", 1));
        assertThat(count("select count(*) from ingest.message where app_id = :v", app)).isEqualTo(1);
    }

    @Test
    void aMessageThatCreatedItsApplicationIsAnsweredAgainToItsRetry() {
        String uid = "idem-new-app-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        var body = Map.of("eventType", "a", "payload", Map.of("n", 1), "application", Map.of("uid", uid, "name", "made by a message"));

        var first = postMessage(uid, key, body);
        var retried = api.post().uri("/api/v1/app/{app}/msg", uid)
                .header("idempotency-key", key)
                .bodyValue(body)
                .exchange()
                .expectStatus().isAccepted()
                .expectHeader().valueEquals("idempotent-replayed", "true")
                .expectBody(Map.class).returnResult().getResponseBody();

        assertThat(retried).isEqualTo(first);
        assertThat(count("select count(*) from ingest.application where uid = :v", uid)).isEqualTo(1);
        assertThat(count("select count(*) from ingest.message m join ingest.application a on a.id = m.app_id where a.uid = :v", uid))
                .isEqualTo(1);
    }

    private String createAppWithKey(String name, String key) {
        return api.post().uri("/api/v1/app")
                .header("idempotency-key", key)
                .bodyValue(Map.of("name", name))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> postMessage(String app, String key, Map<String, Object> body) {
        var spec = api.post().uri("/api/v1/app/{app}/msg", app);
        if (key != null) {
            spec = spec.header("idempotency-key", key);
        }
        return spec.bodyValue(body).exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    private long count(String sql, String value) {
        return db.sql(sql).bind("v", value).map(row -> row.get(0, Long.class)).one().block();
    }
}
