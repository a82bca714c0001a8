package io.hookrelay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.signer.WebhookSecret;
import io.hookrelay.signer.WebhookSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.LoopResources;

/** The bench's receiver over real HTTP on loopback, as the platform's deliveries reach it. */
class ReceiverTest {

    final LoopResources loops = LoopResources.create("test-receiver", 1, true);
    final Receiver receiver = new Receiver(loops);
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final WebhookSecret secret = WebhookSecret.generate();

    @AfterEach
    void stop() {
        receiver.close();
        loops.dispose();
    }

    @Test
    void answers204AndRecordsFirstArrivalsDuplicatesAndSignatures() throws Exception {
        var deliveries = new DeliveryRecorder(List.of(secret.encoded(), secret.encoded()), 1);
        receiver.register("steady", deliveries);

        assertThat(deliver("/s/steady/0", "msg_1")).isEqualTo(204);
        deliver("/s/steady/0", "msg_1");
        deliver("/s/steady/1", "msg_1");
        deliver("/s/other/0", "msg_2");

        assertThat(deliveries.distinctDeliveries()).isEqualTo(2);
        assertThat(deliveries.hasArrived("msg_1", 1)).isTrue();
        assertThat(deliveries.duplicates()).isEqualTo(1);
        assertThat(deliveries.verified()).isEqualTo(3);
        assertThat(deliveries.badSignatures()).isZero();
        assertThat(receiver.unknownRequests()).isEqualTo(1);
    }

    @Test
    void theLoadClientGetsTheReceiversAnswer() {
        try (var client = new LoadClient(receiver.url(), "token", 4, loops)) {
            var answer = client.post(Receiver.CEILING_PATH, MessageSender.body("bench.event", 512), "key-1").block();

            assertThat(answer.status()).isEqualTo(204);
            assertThat(answer.error()).isNull();
        }
    }

    private int deliver(String path, String id) throws Exception {
        byte[] body = "{\"eventType\":\"bench.event\"}".getBytes(StandardCharsets.UTF_8);
        var headers = WebhookSigner.of(secret).headers(id, Instant.now().getEpochSecond(), body);
        var request = HttpRequest.newBuilder(URI.create(receiver.url() + path))
                .header("webhook-id", headers.id())
                .header("webhook-timestamp", headers.timestamp())
                .header("webhook-signature", headers.signature())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
