package io.hookrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import io.hookrelay.events.MessageAccepted;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Delivery uses an endpoint's secret and custom headers only when it can prove ingest-service
 * wrote them: encrypted with a configured key and bound to that endpoint and column. A value
 * written into the table in plain text, or copied from another endpoint, signs and sends
 * nothing: the endpoint's deliveries wait (owed, not lost, no attempt spent), the other endpoints
 * of the application go on, and the log names the endpoint and the command that fixes it.
 */
@ExtendWith(OutputCaptureExtension.class)
class EndpointCredentialsIT extends DeliveryIntegrationTest {

    private static final String CHOSEN_SECRET = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

    @Test
    void sendsCustomHeadersStoredEncrypted() {
        String endpoint = endpoint(receiver.url("/creds-ok"), null, null, false);
        storeHeaders(endpoint, Map.of("Authorization", "Bearer rcv-7c1d", "X-Tenant", "acme"));

        MessageAccepted message = publish("creds.headers", List.of(), "{}");

        await().atMost(Duration.ofSeconds(20)).until(() -> !received("/creds-ok", message).isEmpty());
        var request = received("/creds-ok", message).getFirst();
        assertThat(header(request, "authorization")).isEqualTo("Bearer rcv-7c1d");
        assertThat(header(request, "x-tenant")).isEqualTo("acme");
    }

    @Test
    void holdsDeliveriesSignedWithAPlainSecretUntilItIsSealed(CapturedOutput output) throws Exception {
        String planted = endpoint(receiver.url("/creds-planted"), null, null, false);
        String neighbour = endpoint(receiver.url("/creds-neighbour"), null, null, false);
        db.sql("update ingest.endpoint set secret = :secret where id = :id")
                .bind("secret", CHOSEN_SECRET).bind("id", planted).then().block();

        MessageAccepted message = publish("creds.plain", List.of(), "{\"n\":1}");

        await().atMost(Duration.ofSeconds(20)).until(() -> !received("/creds-neighbour", message).isEmpty());
        assertThat(pendingFor(message, planted)).as("owed, not lost").isTrue();
        Thread.sleep(500);
        assertThat(received("/creds-planted", message)).isEmpty();
        assertThat(attempts(message)).extracting(a -> a.get("endpoint_id")).containsExactly(neighbour);
        assertThat(output.getAll())
                .contains("Nothing is sent to " + planted)
                .contains("endpoint " + planted + " (secret): stored without encryption")
                .contains("--hookrelay.secrets.reencrypt=true")
                .doesNotContain("C2FVsBQIhrsc");

        storeSecret(planted, CHOSEN_SECRET);
        endLease(message, planted);

        await().atMost(Duration.ofSeconds(20)).until(() -> !received("/creds-planted", message).isEmpty());
        var request = received("/creds-planted", message).getFirst();
        new Webhook(CHOSEN_SECRET).verify(request.body(), request.headers());
    }

    @Test
    void sendsNothingWithHeadersCopiedFromAnotherEndpoint() {
        String victim = endpoint(receiver.url("/creds-victim"), null, null, false);
        String copier = endpoint(receiver.url("/creds-copier"), null, null, false);
        storeHeaders(victim, Map.of("Authorization", "Bearer victims-token"));
        db.sql("update ingest.endpoint set headers = (select headers from ingest.endpoint where id = :from) where id = :to")
                .bind("from", victim).bind("to", copier).then().block();

        MessageAccepted message = publish("creds.copied", List.of(), "{}");

        await().atMost(Duration.ofSeconds(20)).until(() -> !received("/creds-victim", message).isEmpty());
        endLease(message, copier);
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> pendingFor(message, copier));
        assertThat(received("/creds-copier", message)).isEmpty();
        assertThat(attempts(message)).extracting(a -> a.get("endpoint_id")).containsExactly(victim);
    }

    @Test
    void refusesAResendToAnEndpointWhoseSecretWasMovedBackFromPreviousSecret() {
        String endpoint = endpoint(receiver.url("/creds-resend"), null, null, false);
        MessageAccepted message = publish("creds.resend", List.of(), "{}");
        await().atMost(Duration.ofSeconds(20)).until(() -> !received("/creds-resend", message).isEmpty());
        storePreviousSecret(endpoint, CHOSEN_SECRET, "1 hour");
        db.sql("update ingest.endpoint set secret = previous_secret where id = :id").bind("id", endpoint).then().block();

        WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .defaultHeader("X-HookRelay-Internal-Token", INTERNAL_TOKEN)
                .defaultHeader("X-HookRelay-Scope", "org")
                .build()
                .post().uri("/api/v1/app/{app}/msg/{msg}/endpoint/{ep}/resend", appId, message.messageId(), endpoint)
                .exchange()
                .expectStatus().isEqualTo(500)
                .expectBody(String.class).value(body -> assertThat(body).doesNotContain("whsec_"));

        assertThat(received("/creds-resend", message)).hasSize(1);
    }

    private boolean pendingFor(MessageAccepted message, String endpointId) {
        return db.sql("select count(*) from delivery.pending_delivery where msg_id = :msg and endpoint_id = :ep")
                .bind("msg", message.messageId()).bind("ep", endpointId)
                .map(row -> row.get(0, Long.class)).one().block() == 1;
    }

    /** As if the lease on the waiting delivery had run out (60 s in this configuration). */
    private void endLease(MessageAccepted message, String endpointId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> pendingFor(message, endpointId));
        db.sql("update delivery.pending_delivery set due_at = now() where msg_id = :msg and endpoint_id = :ep")
                .bind("msg", message.messageId()).bind("ep", endpointId).then().block();
    }
}
