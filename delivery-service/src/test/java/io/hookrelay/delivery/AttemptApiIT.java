package io.hookrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Svix's attempt operations: list by message or endpoint with filters, get one, expunge its content. */
class AttemptApiIT extends DeliveryIntegrationTest {

    WebTestClient api;

    @BeforeEach
    void client() {
        api = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .defaultHeader("X-HookRelay-Internal-Token", INTERNAL_TOKEN).defaultHeader("X-HookRelay-Scope", "org").build();
    }

    @Test
    void listsAnEndpointsAttemptsNewestFirstWithSvixFilters() {
        String endpoint = endpoint(receiver.url("/flaky/1"), null, null, false);
        var first = publish("order.created", List.of("eu"), "{}");
        var second = publish("order.shipped", List.of("us"), "{}");
        await().atMost(Duration.ofSeconds(20)).until(() -> attempts(first).size() == 2 && attempts(second).size() == 2);

        var all = list(endpoint, "");
        var failed = list(endpoint, "&status=2");
        var ok = list(endpoint, "&status_code_class=200");
        var shipped = list(endpoint, "&event_types=order.shipped");
        var eu = list(endpoint, "&channel=eu");

        assertThat(all).hasSize(4);
        assertThat(all).extracting(a -> (String) a.get("id")).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(failed).hasSize(2).allSatisfy(a -> assertThat(a.get("responseStatusCode")).isEqualTo(503));
        assertThat(ok).hasSize(2).allSatisfy(a -> assertThat(a.get("status")).isEqualTo(0));
        assertThat(shipped).hasSize(2).allSatisfy(a -> assertThat(a.get("msgId")).isEqualTo(second.messageId()));
        assertThat(eu).hasSize(2).allSatisfy(a -> assertThat(a.get("msgId")).isEqualTo(first.messageId()));
    }

    @Test
    void filtersAMessagesAttemptsByStatusCodeClassEndpointAndEventType() {
        String flaky = endpoint(receiver.url("/flaky/1"), null, null, false);
        String ok = endpoint(receiver.url("/ok"), null, null, false);
        var message = publish("order.created", List.of("eu"), "{}");
        await().atMost(Duration.ofSeconds(20)).until(() -> attempts(message).size() == 3);

        var all = listByMessage(message.messageId(), "");
        var failed = listByMessage(message.messageId(), "&status=2");
        var succeeded = listByMessage(message.messageId(), "&status_code_class=200");
        var toOk = listByMessage(message.messageId(), "&endpoint_id=" + ok);
        var otherType = listByMessage(message.messageId(), "&event_types=order.shipped");
        var otherChannel = listByMessage(message.messageId(), "&channel=us");

        assertThat(all).hasSize(3);
        assertThat(failed).singleElement().satisfies(a -> {
            assertThat(a.get("endpointId")).isEqualTo(flaky);
            assertThat(a.get("responseStatusCode")).isEqualTo(503);
        });
        assertThat(succeeded).hasSize(2).allSatisfy(a -> assertThat(a.get("status")).isEqualTo(0));
        assertThat(toOk).singleElement().satisfies(a -> assertThat(a.get("endpointId")).isEqualTo(ok));
        assertThat(otherType).isEmpty();
        assertThat(otherChannel).isEmpty();
        api.get().uri("/api/v1/app/{app}/attempt/msg/{msg}?endpoint_id=ep_missing", appId, message.messageId())
                .exchange().expectStatus().isNotFound();
        api.get().uri("/api/v1/app/{app}/attempt/msg/{msg}?status=9", appId, message.messageId())
                .exchange().expectStatus().isEqualTo(422);
    }

    @Test
    void pagesThroughAnEndpointsAttempts() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);
        for (int i = 0; i < 3; i++) {
            publish("paged.event", List.of(), "{}");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> list(endpoint, "").size() == 3);

        var page = api.get().uri("/api/v1/app/{app}/attempt/endpoint/{ep}?limit=2", appId, endpoint).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        var rest = api.get().uri("/api/v1/app/{app}/attempt/endpoint/{ep}?limit=2&iterator={it}", appId, endpoint,
                        page.get("iterator")).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();

        assertThat((List<?>) page.get("data")).hasSize(2);
        assertThat(page.get("done")).isEqualTo(false);
        assertThat((List<?>) rest.get("data")).hasSize(1);
        assertThat(rest.get("done")).isEqualTo(true);
    }

    @Test
    void getsOneAttemptAndExpungesItsContent() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);
        var message = publish("expunged.event", List.of(), "{}");
        await().atMost(Duration.ofSeconds(20)).until(() -> attempts(message).size() == 1);
        String attempt = (String) attempts(message).getFirst().get("id");

        api.get().uri("/api/v1/app/{app}/msg/{msg}/attempt/{a}", appId, message.messageId(), attempt).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.id").isEqualTo(attempt)
                .jsonPath("$.endpointId").isEqualTo(endpoint)
                .jsonPath("$.response").isEqualTo("thanks from /ok");
        api.delete().uri("/api/v1/app/{app}/msg/{msg}/attempt/{a}/content", appId, message.messageId(), attempt).exchange()
                .expectStatus().isNoContent();

        api.get().uri("/api/v1/app/{app}/msg/{msg}/attempt/{a}", appId, message.messageId(), attempt).exchange()
                .expectBody().jsonPath("$.response").isEqualTo("");
        api.get().uri("/api/v1/app/{app}/msg/{msg}/attempt/atmpt_missing", appId, message.messageId()).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.detail").isEqualTo("Attempt not found");
    }

    @Test
    void listsAttemptsWithoutTheirResponseWhenWithContentIsFalse() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);
        var message = publish("content.event", List.of(), "{}");
        await().atMost(Duration.ofSeconds(20)).until(() -> attempts(message).size() == 1);

        var byEndpoint = list(endpoint, "");
        var byEndpointWithout = list(endpoint, "&with_content=false");
        var byMessageWith = listByMessage(message.messageId(), "&with_content=true");
        var byMessageWithout = listByMessage(message.messageId(), "&with_content=false");

        assertThat(byEndpoint).singleElement().satisfies(a -> assertThat(a.get("response")).isEqualTo("thanks from /ok"));
        assertThat(byMessageWith).singleElement().satisfies(a -> assertThat(a.get("response")).isEqualTo("thanks from /ok"));
        assertThat(byEndpointWithout).singleElement().satisfies(a -> {
            assertThat(a.get("response")).isEqualTo("{}");
            assertThat(a.get("responseStatusCode")).isEqualTo(200);
            assertThat(a.get("msgId")).isEqualTo(message.messageId());
        });
        assertThat(byMessageWithout).singleElement().satisfies(a -> assertThat(a.get("response")).isEqualTo("{}"));
        api.get().uri("/api/v1/app/{app}/attempt/endpoint/{ep}?with_content=maybe", appId, endpoint).exchange()
                .expectStatus().isBadRequest();
    }

    @Test
    void refusesUnknownFiltersAndEndpoints() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);

        api.get().uri("/api/v1/app/{app}/attempt/endpoint/{ep}?status=9", appId, endpoint).exchange()
                .expectStatus().isEqualTo(422);
        api.get().uri("/api/v1/app/{app}/attempt/endpoint/{ep}?status_code_class=250", appId, endpoint).exchange()
                .expectStatus().isEqualTo(422);
        api.get().uri("/api/v1/app/{app}/attempt/endpoint/{ep}?before=yesterday", appId, endpoint).exchange()
                .expectStatus().isBadRequest();
        api.get().uri("/api/v1/app/{app}/attempt/endpoint/ep_missing", appId).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.detail").isEqualTo("Endpoint not found");
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> listByMessage(String msgId, String query) {
        var body = api.get().uri("/api/v1/app/" + appId + "/attempt/msg/" + msgId + "?limit=50" + query).exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (List<Map<String, Object>>) body.get("data");
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> list(String endpoint, String query) {
        var body = api.get().uri("/api/v1/app/" + appId + "/attempt/endpoint/" + endpoint + "?limit=50" + query).exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (List<Map<String, Object>>) body.get("data");
    }
}
