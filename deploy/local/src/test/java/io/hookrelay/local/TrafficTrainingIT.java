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

    @Test
    void createsMessagesThatAreDeliveredRetriedAndListed(SharedPlatform platform) throws Exception {
        try (var receiver = new TrafficTraining.TrainingReceiver()) {
            TrafficTraining.Counts counts = TrafficTraining.drive(URI.create(platform.gateway()), SharedPlatform.ADMIN_TOKEN,
                    receiver, Duration.ofSeconds(4));

            assertThat(counts.unexpected()).as("every request answered 202 or 200").isZero();
            assertThat(counts.accepted()).isGreaterThan(100);
            assertThat(counts.reads()).as("every 10th request of a client is a read")
                    .isGreaterThanOrEqualTo(counts.accepted() / 9 - TrafficTraining.CLIENTS);
            assertThat(receiver.failedFirst()).as("one message in 50 refused once").isEqualTo((counts.accepted() + 49) / 50);
            assertThat(receiver.delivered()).as("all delivered, the refused ones on their retry").isEqualTo(counts.accepted());
        }
    }
}
