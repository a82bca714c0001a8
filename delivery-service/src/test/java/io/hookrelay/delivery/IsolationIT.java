package io.hookrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookrelay.events.MessageAccepted;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A slow receiver takes its time; the others of the same application do not wait for it. A
 * tenant whose names never resolve, or who has a backlog of slow deliveries, holds up only itself.
 */
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

    @Test
    void namesThatNeverResolveHoldUpOnlyTheirOwnTenantAndEachAttemptEndsAsARetryableTimeout() {
        List<String> silentHosts = List.of("silent-1.test", "silent-2.test", "silent-3.test");
        silentHosts.forEach(dns::hang);
        List<String> silentEndpoints = silentHosts.stream()
                .map(host -> endpoint("http://" + host + "/hook", null, null, false))
                .toList();
        List<MessageAccepted> stuck = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            stuck.add(publish("silent.event", List.of(), "{\"n\":" + i + "}"));
        }

        application();
        endpoint(receiver.url("/ok"), null, null, false);
        List<MessageAccepted> other = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            other.add(publish("other.event", List.of(), "{\"n\":" + i + "}"));
        }

        await().atMost(Duration.ofSeconds(10))
                .until(() -> other.stream().allMatch(message -> received("/ok", message).size() == 1));
        var attempt = awaitAttempt(stuck.getFirst(), silentEndpoints.getFirst());
        assertThat(attempt).containsEntry("outcome", "retryable").containsEntry("response_status_code", (short) 0);
        assertThat((String) attempt.get("response")).contains("DNS lookup of silent-1.test timed out");
        assertThat(silentHosts).allSatisfy(host -> assertThat(dns.mostInFlight(host))
                .as("lookups of %s waiting at once: never more than its endpoint's bulkhead (2)", host)
                .isBetween(1, 2));
    }

    @Test
    void anApplicationWithABacklogOfStalledDeliveriesLeavesRoomForAnother() {
        receiver.stallAgain();
        for (int i = 0; i < 8; i++) {
            endpoint(receiver.url("/stall"), null, null, false);
        }
        List<MessageAccepted> backlog = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            backlog.add(publish("backlog.event", List.of(), "{\"n\":" + i + "}"));
        }
        Set<String> backlogIds = backlog.stream().map(MessageAccepted::messageId).collect(Collectors.toSet());
        await().atMost(Duration.ofSeconds(10)).until(() -> backlogRequests(backlogIds).size() >= 6);

        application();
        endpoint(receiver.url("/ok"), null, null, false);
        List<MessageAccepted> other = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            other.add(publish("other.event", List.of(), "{\"n\":" + i + "}"));
        }

        try {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> other.stream().allMatch(message -> received("/ok", message).size() == 1));
            assertThat(receiver.mostOpen("/stall"))
                    .as("the stalled application never held more than its share (6) of the 16 slots")
                    .isEqualTo(6);
        } finally {
            receiver.releaseStalled();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> backlogRequests(backlogIds).size() >= 32);
        assertThat(backlogRequests(backlogIds)).as("deferred, never dropped: 4 messages x 8 endpoints").hasSize(32);
    }

    private List<TestReceiver.Received> backlogRequests(Set<String> messageIds) {
        return receiver.received("/stall").stream()
                .filter(request -> messageIds.contains(header(request, "webhook-id")))
                .toList();
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
