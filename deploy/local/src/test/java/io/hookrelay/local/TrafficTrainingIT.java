package io.hookrelay.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The traffic a training under traffic sends (ADR 0037), here against the shared platform for a
 * few seconds: message creations accepted and delivered, the first delivery of some refused so
 * their retries run, the list reads answered. The recording and installing of the caches around
 * it is {@link ServiceLauncherTest} and {@link ServiceJarsIT}; the whole run,
 * {@code bin/run-local --train-aot-caches}, is measured in docs/benchmarks.md.
 */
@ExtendWith(SharedPlatform.Extension.class)
class TrafficTrainingIT {

    /**
     * Fewer than a training's 32: on a shared platform whose every trace is recorded, 32 clients on
     * a busy CI machine can push an accept past ingest's 2 s deadline, and a 503 is not what this
     * test is about.
     */
    static final int CLIENTS = 4;

    @Test
    void createsMessagesThatAreDeliveredRetriedAndListed(SharedPlatform platform) throws Exception {
        try (var receiver = new TrafficTraining.TrainingReceiver()) {
            TrafficTraining.Counts counts = TrafficTraining.drive(URI.create(platform.gateway()), SharedPlatform.ADMIN_TOKEN,
                    receiver, Duration.ofSeconds(8), CLIENTS);

            assertThat(counts.unexpected()).as("every request answered 202 or 200").isZero();
            // a freshly started shared platform (this class first) accepted 70 in 4 s: its JIT is cold
            assertThat(counts.accepted()).as("enough for the reads to count").isGreaterThan(9L * CLIENTS + 10);
            assertThat(counts.reads()).isPositive();
            assertThat(counts.reads()).as("every 10th request of a client is a read")
                    .isGreaterThanOrEqualTo(counts.accepted() / 9 - CLIENTS);
            assertThat(receiver.failedFirst()).as("one message in 50 refused once").isEqualTo((counts.accepted() + 49) / 50);
            assertThat(receiver.delivered()).as("all delivered, the refused ones on their retry").isEqualTo(counts.accepted());
        }
    }
}
