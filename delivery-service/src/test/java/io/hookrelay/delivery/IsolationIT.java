package io.hookrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookrelay.events.MessageAccepted;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A slow receiver takes its time; the others of the same application do not wait for it. */
class IsolationIT extends DeliveryIntegrationTest {

    @Test
    void aSlowEndpointNeitherDelaysAHealthyOneNorGetsMoreThanItsShareOfRequests() {
        endpoint(receiver.url("/slow"), null, null, false);
        endpoint(receiver.url("/ok"), null, null, false);
        List<MessageAccepted> messages = new ArrayList<>();
        Instant published = Instant.now();

        for (int i = 0; i < 8; i++) {
            messages.add(publish("burst.event", List.of(), "{\"n\":" + i + "}"));
        }

        await().atMost(Duration.ofSeconds(10))
                .until(() -> messages.stream().allMatch(message -> received("/ok", message).size() == 1));
        Instant lastHealthy = messages.stream()
                .map(message -> received("/ok", message).getFirst().at())
                .max(Instant::compareTo)
                .orElseThrow();
        assertThat(Duration.between(published, lastHealthy))
                .as("all 8 reached the healthy endpoint before the slow one answered even once (2 s)")
                .isLessThan(Duration.ofMillis(1500));

        await().atMost(Duration.ofSeconds(40))
                .until(() -> messages.stream().allMatch(message -> received("/slow", message).size() == 1));
        assertThat(maxConcurrent(receiver.received("/slow"))).isLessThanOrEqualTo(2);
    }

    /** The most requests that arrived within 2 s (the slow receiver's answer time) of each other. */
    private static long maxConcurrent(List<TestReceiver.Received> requests) {
        return requests.stream()
                .mapToLong(first -> requests.stream()
                        .filter(other -> !other.at().isBefore(first.at())
                                && Duration.between(first.at(), other.at()).compareTo(Duration.ofMillis(1900)) < 0)
                        .count())
                .max()
                .orElse(0);
    }
}
