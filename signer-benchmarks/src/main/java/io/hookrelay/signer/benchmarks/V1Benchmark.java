package io.hookrelay.signer.benchmarks;

import io.hookrelay.signer.VerifiedWebhook;
import io.hookrelay.signer.WebhookHeaders;
import io.hookrelay.signer.WebhookSecret;
import io.hookrelay.signer.WebhookSigner;
import io.hookrelay.signer.WebhookVerificationException;
import io.hookrelay.signer.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Symmetric {@code v1} sign and verify through signer-lib, next to the least a hand-written
 * implementation must do: one pre-initialised {@link Mac} per thread, the signed content, and a
 * Base64 encoding ({@code baseline*}). The goal is signer-lib within 10% of the baseline.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class V1Benchmark {

    static final String MSG_ID = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
    static final long TIMESTAMP = 1_700_000_000L;
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(TIMESTAMP), ZoneOffset.UTC);

    @Param({"256", "1024", "16384", "1048576"})
    public int size;

    byte[] body;
    byte[] key;
    WebhookSigner signer;
    WebhookVerifier verifier;
    WebhookHeaders headers;

    @Setup
    public void setUp() {
        body = new byte[size];
        new SplittableRandom(size).nextBytes(body);
        WebhookSecret secret = WebhookSecret.generate();
        key = Base64.getDecoder().decode(secret.encoded().substring(WebhookSecret.PREFIX.length()));
        signer = WebhookSigner.of(secret);
        verifier = WebhookVerifier.of(secret).withClock(CLOCK);
        headers = signer.headers(MSG_ID, TIMESTAMP, body);
    }

    /** The baseline's per-thread, ready-to-use Mac: the cheapest correct reuse there is. */
    @State(Scope.Thread)
    public static class RawMac {

        Mac mac;

        @Setup
        public void setUp(V1Benchmark benchmark) throws GeneralSecurityException {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(benchmark.key, "HmacSHA256"));
        }

        String sign(String msgId, long timestamp, byte[] body) {
            mac.update((msgId + '.' + timestamp + '.').getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal());
        }
    }

    @Benchmark
    public String sign() {
        return signer.sign(MSG_ID, TIMESTAMP, body);
    }

    @Benchmark
    public String baselineSign(RawMac raw) {
        return raw.sign(MSG_ID, TIMESTAMP, body);
    }

    @Benchmark
    public VerifiedWebhook verify() throws WebhookVerificationException {
        return verifier.verify(headers, body);
    }

    /** Timestamp check, HMAC, Base64, constant-time compare: what every verifier must do. */
    @Benchmark
    public boolean baselineVerify(RawMac raw) {
        long timestamp = Long.parseLong(headers.timestamp());
        long now = CLOCK.millis() / 1000;
        if (Math.abs(now - timestamp) > 300) {
            return false;
        }
        String expected = raw.sign(headers.id(), timestamp, body);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                headers.signature().getBytes(StandardCharsets.US_ASCII));
    }
}
