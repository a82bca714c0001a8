package io.hookrelay.delivery.dispatch;

import io.hookrelay.delivery.classification.DeliveryOutcome;
import io.hookrelay.delivery.retry.NextStep;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * What one attempt adds to the metrics, all meters built once so an attempt costs a few counter
 * increments and two histogram records, no allocation:
 *
 * <ul>
 *   <li>{@code hookrelay.delivery.attempts{outcome, status_class}} (status class {@code 2xx}…{@code 5xx},
 *       or {@code none} when nothing answered);
 *   <li>{@code hookrelay.delivery.attempt.duration}: the HTTP exchange, SLO buckets;
 *   <li>{@code hookrelay.delivery.latency}: accepted → delivered, on success only, SLO buckets from
 *       50 ms to a day (a delivery that needed the retry schedule lands in the long buckets);
 *   <li>{@code hookrelay.delivery.retries.scheduled} and {@code hookrelay.delivery.dead.letters}:
 *       what the retry plan decided.
 * </ul>
 *
 * No endpoint or application is ever a tag: those series would grow with the tenants.
 */
@Component
class DeliveryMetrics {

    static final List<String> OUTCOMES = List.of("delivered", "retryable", "endpoint_gone", "failed", "refused");
    static final List<String> STATUS_CLASSES = List.of("none", "1xx", "2xx", "3xx", "4xx", "5xx");

    private static final Duration[] ATTEMPT_BUCKETS = millis(10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 15_000);
    private static final Duration[] LATENCY_BUCKETS = millis(50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000,
            60_000, 300_000, 1_800_000, 3_600_000, 21_600_000, 86_400_000);

    private final Counter[][] attempts = new Counter[OUTCOMES.size()][STATUS_CLASSES.size()];
    private final Timer attemptDuration;
    private final Timer latency;
    private final Counter retriesScheduled;
    private final Counter deadLetters;

    DeliveryMetrics(MeterRegistry meters) {
        for (int o = 0; o < OUTCOMES.size(); o++) {
            for (int c = 0; c < STATUS_CLASSES.size(); c++) {
                attempts[o][c] = Counter.builder("hookrelay.delivery.attempts")
                        .description("Delivery attempts by outcome and HTTP status class of the answer")
                        .tag("outcome", OUTCOMES.get(o))
                        .tag("status_class", STATUS_CLASSES.get(c))
                        .register(meters);
            }
        }
        this.attemptDuration = Timer.builder("hookrelay.delivery.attempt.duration")
                .description("Duration of the HTTP exchange of one delivery attempt")
                .serviceLevelObjectives(ATTEMPT_BUCKETS)
                .register(meters);
        this.latency = Timer.builder("hookrelay.delivery.latency")
                .description("From the message's accept to its delivery to one endpoint (successes only)")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(meters);
        this.retriesScheduled = Counter.builder("hookrelay.delivery.retries.scheduled")
                .description("Failed attempts for which a later attempt was scheduled")
                .register(meters);
        this.deadLetters = Counter.builder("hookrelay.delivery.dead.letters")
                .description("Deliveries given up (a DeliveryFailed record goes to hookrelay.dead-letters.v1)")
                .register(meters);
    }

    /** One attempt made: {@code statusCode} 0 when nothing answered. */
    void attempted(DeliveryOutcome outcome, int statusCode, Duration duration, NextStep next, Instant accepted, Instant now) {
        attempts[outcomeIndex(outcome)][statusClassIndex(statusCode)].increment();
        if (!(outcome instanceof DeliveryOutcome.Refused)) {
            attemptDuration.record(duration);
        }
        switch (next) {
            case NextStep.Done done -> {
                if (outcome instanceof DeliveryOutcome.Delivered && accepted != null) {
                    latency.record(Math.max(0, now.toEpochMilli() - accepted.toEpochMilli()), TimeUnit.MILLISECONDS);
                }
            }
            case NextStep.RetryAt retry -> retriesScheduled.increment();
            case NextStep.GiveUp giveUp -> deadLetters.increment();
        }
    }

    private static int outcomeIndex(DeliveryOutcome outcome) {
        return switch (outcome) {
            case DeliveryOutcome.Delivered d -> 0;
            case DeliveryOutcome.Retryable r -> 1;
            case DeliveryOutcome.EndpointGone g -> 2;
            case DeliveryOutcome.Failed f -> 3;
            case DeliveryOutcome.Refused r -> 4;
        };
    }

    static int statusClassIndex(int statusCode) {
        return statusCode >= 100 && statusCode < 600 ? statusCode / 100 : 0;
    }

    private static Duration[] millis(long... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofMillis(values[i]);
        }
        return durations;
    }
}
