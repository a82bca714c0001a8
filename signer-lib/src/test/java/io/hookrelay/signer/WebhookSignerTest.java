package io.hookrelay.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    static final WebhookSecret SECRET = WebhookSecret.parse(SpecVectorsTest.SECRET);
    static final byte[] BODY = "{\"type\":\"invoice.paid\",\"data\":{\"id\":\"in_1\"}}".getBytes(StandardCharsets.UTF_8);

    @Test
    void signsWithEveryKeyDuringRotationNewestFirst() {
        WebhookSecret newSecret = WebhookSecret.generate();
        WebhookSigner signer = WebhookSigner.of(newSecret, SECRET);

        String header = signer.sign("msg_1", 1_700_000_000L, BODY);

        assertThat(header.split(" ")).containsExactly(
                WebhookSigner.of(newSecret).sign("msg_1", 1_700_000_000L, BODY),
                WebhookSigner.of(SECRET).sign("msg_1", 1_700_000_000L, BODY));
    }

    @Test
    void mixesSymmetricAndAsymmetricKeysInOneHeader() {
        WebhookKeyPair pair = WebhookKeyPair.generate();
        WebhookSigner signer = WebhookSigner.of(SECRET, pair.privateKey());

        String header = signer.sign("msg_1", 1_700_000_000L, BODY);

        assertThat(header).matches("v1,[A-Za-z0-9+/]{43}= v1a,[A-Za-z0-9+/]{86}==");
    }

    @Test
    void signsAByteBufferLikeTheSameBytesAndLeavesTheBufferUntouched() {
        WebhookSigner signer = WebhookSigner.of(SECRET);
        ByteBuffer direct = ByteBuffer.allocateDirect(BODY.length + 10).put(new byte[5]).put(BODY).flip().position(5);

        String signature = signer.sign("msg_1", 1_700_000_000L, direct);

        assertThat(signature).isEqualTo(signer.sign("msg_1", 1_700_000_000L, BODY));
        assertThat(direct.position()).isEqualTo(5);
        assertThat(direct.remaining()).isEqualTo(BODY.length);
    }

    @Test
    void signsAStreamLikeTheSameBytesForEveryKey() throws Exception {
        byte[] large = new byte[1_000_003];
        new Random(7).nextBytes(large);
        WebhookSigner signer = WebhookSigner.of(SECRET, WebhookSecret.generate(64),
                WebhookPrivateKey.parse(SpecVectorsTest.ED25519_SEED));

        String streamed = signer.sign("msg_1", 1_700_000_000L, new ByteArrayInputStream(large));

        assertThat(streamed).isEqualTo(signer.sign("msg_1", 1_700_000_000L, large));
    }

    @Test
    void signsATextBodyAsItsUtf8Bytes() {
        WebhookSigner signer = WebhookSigner.of(SECRET);
        String body = "{\"name\":\"Zoë ✓\"}";

        String signature = signer.sign("msg_1", 1_700_000_000L, body);

        assertThat(signature).isEqualTo(signer.sign("msg_1", 1_700_000_000L, body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void buildsAllThreeHeaders() {
        WebhookSigner signer = WebhookSigner.of(SECRET);

        WebhookHeaders headers = signer.headers("msg_1", 1_700_000_000L, BODY);

        assertThat(headers.asMap()).containsExactly(
                java.util.Map.entry("webhook-id", "msg_1"),
                java.util.Map.entry("webhook-timestamp", "1700000000"),
                java.util.Map.entry("webhook-signature", signer.sign("msg_1", 1_700_000_000L, BODY)));
    }

    @Test
    void refusesAMessageIdWithADotBecauseItMakesTheSignedContentAmbiguous() {
        WebhookSigner signer = WebhookSigner.of(SECRET);

        assertThatThrownBy(() -> signer.sign("msg.1", 1_700_000_000L, BODY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'.'");
    }

    @Test
    void refusesEmptyOrNonPrintableMessageIdsAndNegativeTimestamps() {
        WebhookSigner signer = WebhookSigner.of(SECRET);

        assertThatThrownBy(() -> signer.sign("", 1L, BODY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.sign("msg 1", 1L, BODY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.sign("msg\r\n1", 1L, BODY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.sign("msg_é", 1L, BODY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.sign("msg_1", -1L, BODY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void needsAtLeastOneKey() {
        assertThatThrownBy(WebhookSigner::of).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givesTheSameSignaturesFromManyThreadsAtOnce() throws Exception {
        WebhookSigner signer = WebhookSigner.of(SECRET, WebhookSecret.generate());
        List<byte[]> bodies = new ArrayList<>();
        Random random = new Random(42);
        for (int i = 0; i < 64; i++) {
            byte[] body = new byte[random.nextInt(4096)];
            random.nextBytes(body);
            bodies.add(body);
        }
        List<String> expected = bodies.stream().map(body -> signer.sign("msg_1", 1L, body)).toList();
        List<Callable<Boolean>> tasks = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            tasks.add(() -> {
                for (int round = 0; round < 200; round++) {
                    int i = round % bodies.size();
                    if (!signer.sign("msg_1", 1L, bodies.get(i)).equals(expected.get(i))) {
                        return false;
                    }
                }
                return true;
            });
        }

        List<Boolean> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<Boolean> result : pool.invokeAll(tasks)) {
                results.add(result.get());
            }
        }

        assertThat(results).hasSize(16).containsOnly(true);
    }

    @Test
    void givesTheSameSignaturesFromVirtualThreads() throws Exception {
        WebhookSigner signer = WebhookSigner.of(SECRET);
        String expected = signer.sign("msg_1", 1L, BODY);
        List<Future<String>> results = new ArrayList<>();

        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 1000; i++) {
                results.add(pool.submit(() -> signer.sign("msg_1", 1L, BODY)));
            }
        }

        assertThat(results).allSatisfy(result -> assertThat(result.get()).isEqualTo(expected));
    }
}
