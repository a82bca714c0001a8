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

        // delivered in the end: a second recover over the same window leaves it alone
        await().atMost(Duration.ofSeconds(10)).until(() -> runningRecoveries(endpoint) == 0);
        api.post().uri("/api/v1/app/{app}/endpoint/{ep}/recover", appId, endpoint)
                .bodyValue(Map.of("since", since.toString()))
                .exchange()
                .expectStatus().isAccepted();
        await().atMost(Duration.ofSeconds(10)).until(() -> runningRecoveries(endpoint) == 0);
        // a resend it started would have claimed the delivery before the recovery ended, and be attempted at once
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> attempts(failed).size() == 4 && pendingCount(failed.messageId()) == 0);
    }

    @Test
    void recoverNeedsASinceTime() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);

        api.post().uri("/api/v1/app/{app}/endpoint/{ep}/recover", appId, endpoint)
                .bodyValue(Map.of())
                .exchange()
                .expectStatus().isEqualTo(422);
    }

    @Test
    void recoverRefusesASinceOlderThanTheRetentionWindowAndSaysTheLimit() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);

        api.post().uri("/api/v1/app/{app}/endpoint/{ep}/recover", appId, endpoint)
                .bodyValue(Map.of("since", Instant.now().minus(Duration.ofDays(15)).toString()))
                .exchange()
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.detail[0].msg").value(message -> assertThat((String) message)
                        .contains("14 days").contains("hookrelay.delivery.recover.max-age"));
        api.post().uri("/api/v1/app/{app}/endpoint/{ep}/recover", appId, endpoint)
                .bodyValue(Map.of("since", Instant.now().minus(Duration.ofDays(13)).toString()))
                .exchange()
                .expectStatus().isAccepted();
    }

    @Test
    void aSecondRecoverOfAnEndpointWhileOneRunsIsAConflictAndAllowedOnceItIsDone() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);
        String otherEndpoint = endpoint(receiver.url("/ok"), null, null, false);
        Instant since = Instant.now().minusSeconds(60);
        db.sql("insert into delivery.running_recovery (endpoint_id, app_id, started_at, expires_at)"
                        + " values (:ep, :app, now(), now() + interval '1 minute')")
                .bind("ep", endpoint).bind("app", appId).then().block();

        api.post().uri("/api/v1/app/{app}/endpoint/{ep}/recover", appId, endpoint)
                .bodyValue(Map.of("since", since.toString()))
                .exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("recovery_running");
        api.post().uri("/api/v1/app/{app}/endpoint/{ep}/recover", appId, otherEndpoint)
                .bodyValue(Map.of("since", since.toString()))
                .exchange()
                .expectStatus().isAccepted();

        db.sql("delete from delivery.running_recovery where endpoint_id = :ep").bind("ep", endpoint).then().block();
        api.post().uri("/api/v1/app/{app}/endpoint/{ep}/recover", appId, endpoint)
                .bodyValue(Map.of("since", since.toString()))
                .exchange()
                .expectStatus().isAccepted();
        await().atMost(Duration.ofSeconds(10)).until(() -> runningRecoveries(endpoint) == 0);
        api.post().uri("/api/v1/app/{app}/endpoint/{ep}/recover", appId, endpoint)
                .bodyValue(Map.of("since", since.toString()))
                .exchange()
                .expectStatus().isAccepted(); // the recovery finished: a new one may start
    }

    @Test
    void aRecoveryLeftByADeadProcessStopsBlockingOnceItExpires() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);
        db.sql("insert into delivery.running_recovery (endpoint_id, app_id, started_at, expires_at)"
                        + " values (:ep, :app, now() - interval '1 hour', now() - interval '1 second')")
                .bind("ep", endpoint).bind("app", appId).then().block();

        api.post().uri("/api/v1/app/{app}/endpoint/{ep}/recover", appId, endpoint)
                .bodyValue(Map.of("since", Instant.now().minusSeconds(60).toString()))
                .exchange()
                .expectStatus().isAccepted();
    }

    @Test
    void parallelRecoversOfOneEndpointAreAcceptedOrAConflictNeverAnError() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);
        String since = Instant.now().minusSeconds(60).toString();

        List<Integer> statuses = reactor.core.publisher.Flux.range(0, 8)
                .flatMap(i -> org.springframework.web.reactive.function.client.WebClient.create("http://127.0.0.1:" + port)
                        .post().uri("/api/v1/app/{app}/endpoint/{ep}/recover", appId, endpoint)
                        .header("X-HookRelay-Internal-Token", INTERNAL_TOKEN)
                        .header("X-HookRelay-Scope", "org")
                        .bodyValue(Map.of("since", since))
                        .exchangeToMono(response -> reactor.core.publisher.Mono.just(response.statusCode().value())))
                .collectList()
                .block(Duration.ofSeconds(30));

        assertThat(statuses).containsOnly(202, 409).contains(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> runningRecoveries(endpoint) == 0);
    }

    private long runningRecoveries(String endpointId) {
        return db.sql("select count(*) from delivery.running_recovery where endpoint_id = :ep").bind("ep", endpointId)
                .map(row -> row.get(0, Long.class)).one().block();
    }

    private long pendingCount(String messageId) {
        return db.sql("select count(*) from delivery.pending_delivery where msg_id = :msg").bind("msg", messageId)
                .map(row -> row.get(0, Long.class)).one().block();
    }
}
