package io.hookrelay.delivery.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    private static final List<Duration> SVIX = List.of(
            Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2),
            Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));

    @Test
    void defaultsToTheSvixScheduleOfSevenRetries() {
        var schedule = new RetrySchedule(SVIX, 0);

        assertThat(schedule.maxAttempts()).isEqualTo(8);
        assertThat(List.of(1, 2, 3, 4, 5, 6, 7).stream()
                        .map(n -> schedule.nextDelay(n, Optional.empty()).orElseThrow())
                        .toList())
                .isEqualTo(SVIX);
    }

    @Test
    void hasNoDelayAfterTheLastAttempt() {
        var schedule = new RetrySchedule(SVIX, 0.2);

        assertThat(schedule.nextDelay(8, Optional.empty())).isEmpty();
        assertThat(schedule.nextDelay(9, Optional.empty())).isEmpty();
    }

    @RepeatedTest(20)
    void jitterStaysWithinItsFraction() {
        var schedule = new RetrySchedule(SVIX, 0.2);

        for (int attempt = 1; attempt <= 7; attempt++) {
            long base = SVIX.get(attempt - 1).toMillis();
            long delay = schedule.intervalFunction().apply(attempt);

            assertThat(delay).isBetween(Math.round(base * 0.8), Math.round(base * 1.2));
        }
    }

    @Test
    void jitterSpreadsEndpointsThatFailedTogether() {
        var schedule = new RetrySchedule(SVIX, 0.2);

        var delays = java.util.stream.IntStream.range(0, 50)
                .mapToObj(i -> schedule.intervalFunction().apply(3))
                .distinct()
                .count();

        assertThat(delays).isGreaterThan(40);
    }

    @Test
    void aLongerRetryAfterWinsAndAShorterOneDoesNot() {
        var schedule = new RetrySchedule(SVIX, 0);

        assertThat(schedule.nextDelay(1, Optional.of(Duration.ofMinutes(1)))).contains(Duration.ofMinutes(1));
        assertThat(schedule.nextDelay(2, Optional.of(Duration.ofSeconds(30)))).contains(Duration.ofMinutes(5));
    }

    @Test
    void aShortScheduleForTests() {
        var schedule = new RetrySchedule(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), 0);

        assertThat(schedule.maxAttempts()).isEqualTo(3);
        assertThat(schedule.nextDelay(2, Optional.empty())).contains(Duration.ofMillis(200));
    }
}
