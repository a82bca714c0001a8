package io.hookrelay.delivery.retry;

import io.github.resilience4j.core.IntervalFunction;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotEmpty;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * When failed deliveries are tried again, as Svix does by default: 5 s, 5 min, 30 min, 2 h, 5 h,
 * 10 h, 10 h after the previous attempt, each spread by a random jitter so that endpoints that
 * failed together do not all come back at the same moment. After the last delay's attempt the
 * delivery has failed for good.
 *
 * @param delays the wait before each retry; its length is the number of retries
 * @param jitter the fraction (0 to 0.5) by which each delay is randomly shortened or lengthened
 */
@Validated
@ConfigurationProperties("hookrelay.delivery.retry")
public record RetrySchedule(
        @NotEmpty @DefaultValue({"5s", "5m", "30m", "2h", "5h", "10h", "10h"}) List<Duration> delays,
        @DecimalMin("0.0") @DecimalMax("0.5") @DefaultValue("0.2") double jitter) {

    public RetrySchedule {
        delays = List.copyOf(delays);
    }

    /** Attempts in all: the first one plus one per delay. */
    public int maxAttempts() {
        return delays.size() + 1;
    }

    /**
     * The Resilience4j interval function of this schedule: {@code apply(n)} is the wait in
     * milliseconds after the n-th failed attempt (1-based), jittered.
     */
    public IntervalFunction intervalFunction() {
        return attempt -> {
            long base = delays.get(Math.min(attempt, delays.size()) - 1).toMillis();
            double spread = jitter == 0 ? 0 : ThreadLocalRandom.current().nextDouble(-jitter, jitter);
            return Math.max(0, Math.round(base * (1 + spread)));
        };
    }

    /**
     * The wait after {@code attemptsSoFar} failed attempts, or empty when no attempt is left.
     * A receiver's {@code Retry-After} replaces the schedule's delay when it asks for longer.
     */
    public java.util.Optional<Duration> nextDelay(int attemptsSoFar, java.util.Optional<Duration> retryAfter) {
        if (attemptsSoFar >= maxAttempts()) {
            return java.util.Optional.empty();
        }
        Duration scheduled = Duration.ofMillis(intervalFunction().apply(attemptsSoFar));
        return java.util.Optional.of(retryAfter.filter(asked -> asked.compareTo(scheduled) > 0).orElse(scheduled));
    }
}
