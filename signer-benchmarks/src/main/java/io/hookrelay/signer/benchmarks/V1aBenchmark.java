package io.hookrelay.signer.benchmarks;

import io.hookrelay.signer.VerifiedWebhook;
import io.hookrelay.signer.WebhookHeaders;
import io.hookrelay.signer.WebhookKeyPair;
import io.hookrelay.signer.WebhookSigner;
import io.hookrelay.signer.WebhookVerificationException;
import io.hookrelay.signer.WebhookVerifier;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Asymmetric {@code v1a} (Ed25519) sign and verify at a typical webhook size, for scale. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class V1aBenchmark {

    @Param({"1024"})
    public int size;

    byte[] body;
    WebhookSigner signer;
    WebhookVerifier verifier;
    WebhookHeaders headers;

    @Setup
    public void setUp() {
        body = new byte[size];
        new SplittableRandom(size).nextBytes(body);
        WebhookKeyPair pair = WebhookKeyPair.generate();
        signer = WebhookSigner.of(pair.privateKey());
        verifier = WebhookVerifier.of(pair.publicKey()).withClock(V1Benchmark.CLOCK);
        headers = signer.headers(V1Benchmark.MSG_ID, V1Benchmark.TIMESTAMP, body);
    }

    @Benchmark
    public String sign() {
        return signer.sign(V1Benchmark.MSG_ID, V1Benchmark.TIMESTAMP, body);
    }

    @Benchmark
    public VerifiedWebhook verify() throws WebhookVerificationException {
        return verifier.verify(headers, body);
    }
}
