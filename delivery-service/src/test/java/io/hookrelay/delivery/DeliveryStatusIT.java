package io.hookrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Svix's attempted destinations of a message and attempted messages of an endpoint. */
class DeliveryStatusIT extends DeliveryIntegrationTest {

    WebTestClient api;

    @BeforeEach
    void client() {
        api = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .defaultHeader("X-HookRelay-Internal-Token", INTERNAL_TOKEN).defaultHeader("X-HookRelay-Scope", "org").build();
    }

    @Test
    void listsWhereAMessageStandsWithEachEndpoint() {
        String ok = endpoint(receiver.url("/ok"), null, null, false);
        String bad = endpoint(receiver.url("/bad"), null, null, false);
        String retrying = endpoint(receiver.url("/fail"), null, null, false);
        String notSubscribed = endpoint(receiver.url("/ok"), List.of("other.type"), null, false);
        var message = publish("status.event", List.of(), "{}");
        await().atMost(Duration.ofSeconds(20)).until(() -> attempts(message).size() == 5);
        await().atMost(Duration.ofSeconds(10)).until(() -> db.sql("select count(*) from delivery.pending_delivery"
                        + " where msg_id = :msg").bind("msg", message.messageId())
                .map(row -> row.get(0, Long.class)).one().block() == 0);
        db.sql("insert into delivery.pending_delivery (msg_id, endpoint_id, app_id, attempts, state, due_at, last_outcome,"
                        + " last_reason, updated_at) values (:msg, :ep, :app, 3, 'scheduled', now() + interval '1 hour',"
                        + " 'retryable', 'HTTP 500', now())")
                .bind("msg", message.messageId()).bind("ep", retrying).bind("app", appId).then().block();

        var destinations = data(api.get().uri("/api/v1/app/{app}/msg/{msg}/endpoint", appId, message.messageId()));

        assertThat(destinations).extracting(d -> d.get("id")).containsExactlyInAnyOrder(ok, bad, retrying)
                .doesNotContain(notSubscribed);
        assertThat(byId(destinations, ok)).containsEntry("status", 0).containsEntry("statusText", "success");
        assertThat(byId(destinations, bad)).containsEntry("status", 2).containsEntry("statusText", "fail");
        assertThat(byId(destinations, retrying)).containsEntry("status", 1).containsEntry("statusText", "pending")
                .hasEntrySatisfying("nextAttempt", next -> assertThat(next).isNotNull());
    }

    @Test
    void listsWhereAnEndpointStandsWithEachMessageWithFilters() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);
        var created = publish("order.created", List.of("eu"), "{\"n\":1}");
        var shipped = publish("order.shipped", List.of("us"), "{\"n\":2}");
        await().atMost(Duration.ofSeconds(20)).until(() -> attempts(created).size() == 1 && attempts(shipped).size() == 1);

        var all = data(api.get().uri("/api/v1/app/{app}/endpoint/{ep}/msg", appId, endpoint));
        var onlyShipped = data(api.get().uri("/api/v1/app/{app}/endpoint/{ep}/msg?event_types=order.shipped", appId, endpoint));
        var onlyEu = data(api.get().uri("/api/v1/app/{app}/endpoint/{ep}/msg?channel=eu&with_content=false", appId, endpoint));
        var failed = data(api.get().uri("/api/v1/app/{app}/endpoint/{ep}/msg?status=2", appId, endpoint));

        // Ids sort by creation second only (KSUID), so two messages of the same second come in either order.
        assertThat(all).extracting(m -> m.get("id")).containsExactlyInAnyOrder(shipped.messageId(), created.messageId());
        assertThat(byId(all, shipped.messageId())).containsEntry("status", 0).containsEntry("eventType", "order.shipped")
                .containsEntry("payload", Map.of("n", 2));
        assertThat(onlyShipped).extracting(m -> m.get("id")).containsExactly(shipped.messageId());
        assertThat(onlyEu).extracting(m -> m.get("id")).containsExactly(created.messageId());
        assertThat(onlyEu.getFirst()).containsEntry("payload", Map.of());
        assertThat(failed).isEmpty();
    }

    @Test
    void listsAnEndpointsFailedAndOwedMessagesPageByPageAndByStatus() {
        String endpoint = endpoint(receiver.url("/bad"), List.of("order.created"), null, false);
        var neverSent = publish("order.cancelled", List.of(), "{}"); // not a type the endpoint subscribes to
        var first = publish("order.created", List.of(), "{}");
        var second = publish("order.created", List.of(), "{}");
        await().atMost(Duration.ofSeconds(20)).until(() -> attempts(first).size() == 1 && attempts(second).size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> db.sql("select count(*) from delivery.pending_delivery"
                        + " where endpoint_id = :ep").bind("ep", endpoint)
                .map(row -> row.get(0, Long.class)).one().block() == 0);

        assertThat(data(api.get().uri("/api/v1/app/{app}/endpoint/{ep}/msg", appId, endpoint)))
                .as("a message of the application the endpoint was never sent is not listed")
                .extracting(m -> m.get("id")).containsExactlyInAnyOrder(first.messageId(), second.messageId());

        // owed to the endpoint, never attempted (as a resend leaves it): listed as pending
        db.sql("insert into delivery.pending_delivery (msg_id, endpoint_id, app_id, attempts, state, due_at, last_outcome,"
                        + " last_reason, updated_at) values (:msg, :ep, :app, 0, 'scheduled', now() + interval '1 hour',"
                        + " 'new', '', now())")
                .bind("msg", neverSent.messageId()).bind("ep", endpoint).bind("app", appId).then().block();
        var page = body(api.get().uri("/api/v1/app/{app}/endpoint/{ep}/msg?limit=2", appId, endpoint));
        var rest = body(api.get().uri("/api/v1/app/{app}/endpoint/{ep}/msg?limit=2&iterator={it}", appId, endpoint,
                page.get("iterator")));
        var pending = data(api.get().uri("/api/v1/app/{app}/endpoint/{ep}/msg?status=1", appId, endpoint));
        var failed = data(api.get().uri("/api/v1/app/{app}/endpoint/{ep}/msg?status=2", appId, endpoint));

        List<Object> paged = new java.util.ArrayList<>();
        rows(page).forEach(m -> paged.add(m.get("id")));
        rows(rest).forEach(m -> paged.add(m.get("id")));
        assertThat(rows(page)).hasSize(2);
        assertThat(page.get("done")).isEqualTo(false);
        assertThat(rest.get("done")).isEqualTo(true);
        assertThat(paged).containsExactlyInAnyOrder(neverSent.messageId(), first.messageId(), second.messageId());
        assertThat(pending).singleElement().satisfies(m -> assertThat(m)
                .containsEntry("id", neverSent.messageId()).containsEntry("statusText", "pending")
                .hasEntrySatisfying("nextAttempt", next -> assertThat(next).isNotNull()));
        assertThat(failed).extracting(m -> m.get("id")).containsExactlyInAnyOrder(first.messageId(), second.messageId());
        assertThat(failed).allSatisfy(m -> {
            assertThat(m).containsEntry("statusText", "fail");
            assertThat(m.get("nextAttempt")).isNull();
        });
    }

    @Test
    void anApplicationTokenOfAnotherApplicationFindsNothing() {
        String endpoint = endpoint("http://127.0.0.1:9/scope", List.of(), List.of(), false);
        String other = "app_" + "x".repeat(27);

        api.get().uri("/api/v1/app/{app}/endpoint/{ep}/msg", appId, endpoint)
                .header("X-HookRelay-Scope", "app:" + other).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.detail").isEqualTo("Application not found");
        api.get().uri("/api/v1/app/{app}/attempt/endpoint/{ep}", appId, endpoint)
                .header("X-HookRelay-Scope", "app:" + other).exchange()
                .expectStatus().isNotFound();
        api.get().uri("/api/v1/app/{app}/endpoint/{ep}/msg", appId, endpoint)
                .header("X-HookRelay-Scope", "app:" + appId).exchange()
                .expectStatus().isOk();
    }

    @Test
    void unknownMessageOrEndpointIs404() {
        api.get().uri("/api/v1/app/{app}/msg/msg_missing/endpoint", appId).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.detail").isEqualTo("Message not found");
        api.get().uri("/api/v1/app/{app}/endpoint/ep_missing/msg", appId).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.detail").isEqualTo("Endpoint not found");
    }

    private static List<Map<String, Object>> data(WebTestClient.RequestHeadersSpec<?> request) {
        return rows(body(request));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(WebTestClient.RequestHeadersSpec<?> request) {
        return request.exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(Map<String, Object> body) {
        return (List<Map<String, Object>>) body.get("data");
    }

    private static Map<String, Object> byId(List<Map<String, Object>> rows, String id) {
        return rows.stream().filter(row -> id.equals(row.get("id"))).findFirst().orElseThrow();
    }
}
