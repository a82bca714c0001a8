package io.hookrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Resend and recover: new attempts, marked manual. */
class ManualDeliveryIT extends DeliveryIntegrationTest {

    WebTestClient api;

    @BeforeEach
    void client() {
        api = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .defaultHeader("X-HookRelay-Internal-Token", INTERNAL_TOKEN).defaultHeader("X-HookRelay-Scope", "org").build();
    }

    @Test
    void resendsAMessageToAnEndpointAsAManualAttempt() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);
        var message = publish("resent.event", List.of(), "{\"again\":true}");
        await().atMost(Duration.ofSeconds(20)).until(() -> attempts(message).size() == 1);

        api.post().uri("/api/v1/app/{app}/msg/{msg}/endpoint/{ep}/resend", appId, message.messageId(), endpoint)
                .exchange()
                .expectStatus().isAccepted();

        await().atMost(Duration.ofSeconds(20)).until(() -> attempts(message).size() == 2);
        assertThat(attempts(message)).extracting(a -> a.get("trigger_type")).containsExactlyInAnyOrder((short) 0, (short) 1);
        assertThat(received("/ok", message)).hasSize(2).extracting(TestReceiver.Received::body).containsOnly("{\"again\":true}");
    }

    @Test
    void refusesToResendWhatDoesNotExistOrMayNotBeSent() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);
        String disabled = endpoint(receiver.url("/ok"), null, null, true);
        var message = publish("refused.resend", List.of(), "{}");
        db.sql("update ingest.message set payload = '{}', payload_expunged_at = now() where id = :id")
                .bind("id", message.messageId()).then().block();

        api.post().uri("/api/v1/app/{app}/msg/msg_missing/endpoint/{ep}/resend", appId, endpoint).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.detail").isEqualTo("Message not found");
        api.post().uri("/api/v1/app/{app}/msg/{msg}/endpoint/ep_missing/resend", appId, message.messageId()).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.detail").isEqualTo("Endpoint not found");
        api.post().uri("/api/v1/app/app_missing/msg/{msg}/endpoint/{ep}/resend", message.messageId(), endpoint).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.detail").isEqualTo("Application not found");
        api.post().uri("/api/v1/app/{app}/msg/{msg}/endpoint/{ep}/resend", appId, message.messageId(), disabled).exchange()
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("endpoint_disabled");
        api.post().uri("/api/v1/app/{app}/msg/{msg}/endpoint/{ep}/resend", appId, message.messageId(), endpoint).exchange()
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("message_expunged");
    }

    @Test
    void recoversTheMessagesWhoseDeliveryFailed() {
        String endpoint = endpoint(receiver.url("/flaky/3"), null, null, false);
        Instant since = Instant.now().minusSeconds(60);
        var failed = publish("recover.event", List.of(), "{\"n\":1}");
        await().atMost(Duration.ofSeconds(20)).until(() -> attempts(failed).size() == 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> pendingCount(failed.messageId()) == 0);

        api.post().uri("/api/v1/app/{app}/endpoint/{ep}/recover", appId, endpoint)
                .bodyValue(Map.of("since", since.toString()))
                .exchange()
                .expectStatus().isAccepted()
                .expectBody()
                .jsonPath("$.status").isEqualTo("running")
                .jsonPath("$.task").isEqualTo("endpoint.recover")
                .jsonPath("$.id").value(id -> assertThat((String) id).startsWith("qtask_"));

        await().atMost(Duration.ofSeconds(20)).until(() -> attempts(failed).size() == 4);
        assertThat(attempts(failed)).anySatisfy(attempt -> assertThat(attempt)
                .containsEntry("trigger_type", (short) 1).containsEntry("status", (short) 0));
    }

    @Test
    void recoverNeedsASinceTime() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);

        api.post().uri("/api/v1/app/{app}/endpoint/{ep}/recover", appId, endpoint)
                .bodyValue(Map.of())
                .exchange()
                .expectStatus().isEqualTo(422);
    }

    private long pendingCount(String messageId) {
        return db.sql("select count(*) from delivery.pending_delivery where msg_id = :msg").bind("msg", messageId)
                .map(row -> row.get(0, Long.class)).one().block();
    }
}
