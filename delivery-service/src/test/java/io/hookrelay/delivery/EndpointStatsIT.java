package io.hookrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookrelay.events.MessageAccepted;
import io.hookrelay.events.PrefixedId;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Svix's endpoint stats: each delivery to the endpoint counted once, by where it stands. */
class EndpointStatsIT extends DeliveryIntegrationTest {

    WebTestClient api;

    @BeforeEach
    void client() {
        api = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .defaultHeader("X-HookRelay-Internal-Token", INTERNAL_TOKEN).defaultHeader("X-HookRelay-Scope", "org").build();
    }

    @Test
    void countsEachDeliveryOnceByWhereItStands() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);
        var delivered = List.of(publish("stats.event", List.of(), "{}"), publish("stats.event", List.of(), "{}"));
        delivered.forEach(message -> awaitFinished(message, endpoint));
        pointAt(endpoint, "/bad");
        awaitFinished(publish("stats.event", List.of(), "{}"), endpoint);
        pointAt(endpoint, "/fail");
        var exhausted = publish("stats.event", List.of(), "{}");
        awaitFinished(exhausted, endpoint);
        pointAt(endpoint, "/later");
        var retrying = publish("stats.event", List.of(), "{}");
        await().atMost(Duration.ofSeconds(20)).until(() -> attempts(retrying).size() == 1
                && "scheduled".equals(pendingState(retrying, endpoint)));
        owedWithoutAttempt(endpoint);

        var stats = stats(api.get().uri("/api/v1/app/{app}/endpoint/{ep}/stats", appId, endpoint));

        assertThat(attempts(exhausted)).hasSizeGreaterThan(1);
        assertThat(stats).containsExactlyInAnyOrderEntriesOf(
                Map.of("success", 2, "fail", 2, "pending", 1, "sending", 1, "canceled", 0));
    }

    @Test
    void countsOnlyDeliveriesAttemptedInTheWindow() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);
        String other = endpoint(receiver.url("/ok"), null, null, false);
        var old = publish("stats.window", List.of(), "{}");
        var recent = publish("stats.window", List.of(), "{}");
        awaitFinished(old, endpoint);
        awaitFinished(recent, endpoint);
        awaitFinished(recent, other);
        db.sql("update delivery.attempt set created_at = created_at - interval '3 days' where msg_id = :msg")
                .bind("msg", old.messageId()).then().block();
        Instant now = Instant.now();

        var lastDay = stats(api.get().uri(uri(endpoint, now.minus(1, ChronoUnit.DAYS), null)));
        var threeDaysAgo = stats(api.get().uri(uri(endpoint, now.minus(4, ChronoUnit.DAYS), now.minus(2, ChronoUnit.DAYS))));
        var longAgo = stats(api.get().uri(uri(endpoint, now.minus(20, ChronoUnit.DAYS), now.minus(10, ChronoUnit.DAYS))));
        var defaultWindow = stats(api.get().uri("/api/v1/app/{app}/endpoint/{ep}/stats", appId, endpoint));

        assertThat(lastDay).containsEntry("success", 1);
        assertThat(threeDaysAgo).containsEntry("success", 1);
        assertThat(longAgo).containsEntry("success", 0);
        assertThat(defaultWindow).containsEntry("success", 2).containsEntry("fail", 0);
    }

    @Test
    void acceptsAnOffsetAndTheEndpointsUid() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);
        db.sql("update ingest.endpoint set uid = 'stats-uid' where id = :id").bind("id", endpoint).then().block();
        awaitFinished(publish("stats.uid", List.of(), "{}"), endpoint);

        var stats = stats(api.get().uri("/api/v1/app/{app}/endpoint/stats-uid/stats?since="
                + Instant.now().minus(1, ChronoUnit.HOURS).atOffset(java.time.ZoneOffset.ofHours(2)), appId));

        assertThat(stats).containsEntry("success", 1);
    }

    @Test
    void refusesAWindowSvixRefuses() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);
        Instant now = Instant.now();

        api.get().uri(uri(endpoint, null, now.plus(1, ChronoUnit.HOURS))).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("invalid_range");
        api.get().uri(uri(endpoint, now.minus(29, ChronoUnit.DAYS), null)).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("invalid_range");
        api.get().uri("/api/v1/app/{app}/endpoint/{ep}/stats?since=yesterday", appId, endpoint).exchange()
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.detail[0].loc[1]").isEqualTo("since");
    }

    @Test
    void unknownApplicationOrEndpointIs404() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);

        api.get().uri("/api/v1/app/{app}/endpoint/ep_missing/stats", appId).exchange()
                .expectStatus().isNotFound().expectBody()
                .jsonPath("$.code").isEqualTo("not_found").jsonPath("$.detail").isEqualTo("Endpoint not found");
        api.get().uri("/api/v1/app/app_missing/endpoint/{ep}/stats", endpoint).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.detail").isEqualTo("Application not found");
    }

    private String uri(String endpoint, Instant since, Instant until) {
        return "/api/v1/app/" + appId + "/endpoint/" + endpoint + "/stats?"
                + (since == null ? "" : "since=" + since + "&") + (until == null ? "" : "until=" + until);
    }

    private void pointAt(String endpoint, String path) {
        db.sql("update ingest.endpoint set url = :url where id = :id")
                .bind("url", receiver.url(path)).bind("id", endpoint).then().block();
    }

    /** Until the delivery has an attempt and its row is gone or dead: nothing more will happen. */
    private void awaitFinished(MessageAccepted message, String endpoint) {
        await().atMost(Duration.ofSeconds(20)).until(() -> attempts(message).stream()
                        .anyMatch(a -> endpoint.equals(a.get("endpoint_id")))
                && !"scheduled".equals(pendingState(message, endpoint)));
    }

    private String pendingState(MessageAccepted message, String endpoint) {
        return db.sql("select state from delivery.pending_delivery where msg_id = :msg and endpoint_id = :ep")
                .bind("msg", message.messageId()).bind("ep", endpoint)
                .map(row -> row.get("state", String.class)).one().block();
    }

    /** A delivery owed but not yet attempted, as right after fan-out (left far in the future here). */
    private void owedWithoutAttempt(String endpoint) {
        String msgId = ids.next(PrefixedId.MESSAGE);
        db.sql("insert into ingest.message (id, app_id, event_type, payload, created_at) values (:id, :app, 'stats.event',"
                        + " '{}', now())")
                .bind("id", msgId).bind("app", appId).then().block();
        db.sql("insert into delivery.pending_delivery (msg_id, endpoint_id, app_id, attempts, state, due_at, last_outcome,"
                        + " last_reason, updated_at) values (:msg, :ep, :app, 0, 'scheduled', now() + interval '1 hour',"
                        + " 'new', '', now())")
                .bind("msg", msgId).bind("ep", endpoint).bind("app", appId).then().block();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stats(WebTestClient.RequestHeadersSpec<?> request) {
        return request.exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }
}
