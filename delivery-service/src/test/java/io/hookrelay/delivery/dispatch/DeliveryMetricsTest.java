package io.hookrelay.delivery.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.delivery.classification.DeliveryOutcome;
import io.hookrelay.delivery.retry.NextStep;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeliveryMetricsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final DeliveryMetrics metrics = new DeliveryMetrics(meters);
    private final Instant accepted = Instant.parse("2026-11-29T12:00:00Z");

    @Test
    void aDeliveryCountsByOutcomeAndStatusClassAndRecordsItsLatencyFromTheAccept() {
        metrics.attempted(new DeliveryOutcome.Delivered(), 204, Duration.ofMillis(40), new NextStep.Done(),
                accepted, accepted.plusMillis(1_500));

        assertThat(attempts("delivered", "2xx")).isEqualTo(1);
        assertThat(meters.get("hookrelay.delivery.latency").timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1_500);
        assertThat(meters.get("hookrelay.delivery.attempt.duration").timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40);
    }

    @Test
    void aRetryableFailureSchedulesARetryAndRecordsNoLatency() {
        metrics.attempted(new DeliveryOutcome.Retryable("HTTP 503", Optional.empty()), 503, Duration.ofMillis(10),
                new NextStep.RetryAt(accepted.plusSeconds(5)), accepted, accepted.plusMillis(20));
        metrics.attempted(new DeliveryOutcome.Retryable("timeout", Optional.empty()), 0, Duration.ofSeconds(15),
                new NextStep.RetryAt(accepted.plusSeconds(300)), accepted, accepted.plusSeconds(16));

        assertThat(attempts("retryable", "5xx")).isEqualTo(1);
        assertThat(attempts("retryable", "none")).isEqualTo(1);
        assertThat(meters.get("hookrelay.delivery.retries.scheduled").counter().count()).isEqualTo(2);
        assertThat(meters.get("hookrelay.delivery.latency").timer().count()).isZero();
    }

    @Test
    void givingUpCountsADeadLetterAndARefusedDestinationNoDuration() {
        metrics.attempted(new DeliveryOutcome.Failed("HTTP 400"), 400, Duration.ofMillis(5), new NextStep.GiveUp("failed"),
                accepted, accepted);
        metrics.attempted(new DeliveryOutcome.Refused("private address"), 0, Duration.ZERO, new NextStep.GiveUp("refused"),
                accepted, accepted);

        assertThat(attempts("failed", "4xx")).isEqualTo(1);
        assertThat(attempts("refused", "none")).isEqualTo(1);
        assertThat(meters.get("hookrelay.delivery.dead.letters").counter().count()).isEqualTo(2);
        assertThat(meters.get("hookrelay.delivery.attempt.duration").timer().count()).isEqualTo(1);
    }

    @Test
    void everyOutcomeAndStatusClassExistsFromTheStartSoDashboardsHaveSeries() {
        assertThat(meters.get("hookrelay.delivery.attempts").counters())
                .hasSize(DeliveryMetrics.OUTCOMES.size() * DeliveryMetrics.STATUS_CLASSES.size());
    }

    private double attempts(String outcome, String statusClass) {
        return meters.get("hookrelay.delivery.attempts").tag("outcome", outcome).tag("status_class", statusClass)
                .counter().count();
    }
}
