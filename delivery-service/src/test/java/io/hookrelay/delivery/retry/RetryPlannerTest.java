package io.hookrelay.delivery.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.delivery.classification.DeliveryOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPlannerTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    private final RetryPlanner planner =
            new RetryPlanner(new RetrySchedule(List.of(Duration.ofSeconds(5), Duration.ofMinutes(5)), 0));

    @Test
    void aDeliveredMessageIsDone() {
        assertThat(planner.next(new DeliveryOutcome.Delivered(), 1, NOW)).isEqualTo(new NextStep.Done());
    }

    @Test
    void aRetryableFailureIsRetriedOnSchedule() {
        var retryable = new DeliveryOutcome.Retryable("HTTP 503", Optional.empty());

        assertThat(planner.next(retryable, 1, NOW)).isEqualTo(new NextStep.RetryAt(NOW.plusSeconds(5)));
        assertThat(planner.next(retryable, 2, NOW)).isEqualTo(new NextStep.RetryAt(NOW.plus(Duration.ofMinutes(5))));
    }

    @Test
    void givesUpWhenTheScheduleIsUsedUp() {
        var next = planner.next(new DeliveryOutcome.Retryable("HTTP 503", Optional.empty()), 3, NOW);

        assertThat(next).isInstanceOfSatisfying(NextStep.GiveUp.class,
                giveUp -> assertThat(giveUp.why()).contains("no attempt left after 3").contains("HTTP 503"));
    }

    @Test
    void aLongerRetryAfterPostponesTheRetry() {
        var throttled = new DeliveryOutcome.Retryable("HTTP 429", Optional.of(Duration.ofMinutes(2)));

        assertThat(planner.next(throttled, 1, NOW)).isEqualTo(new NextStep.RetryAt(NOW.plus(Duration.ofMinutes(2))));
    }

    @Test
    void permanentOutcomesAreNotRetried() {
        assertThat(planner.next(new DeliveryOutcome.Failed("HTTP 400"), 1, NOW)).isInstanceOf(NextStep.GiveUp.class);
        assertThat(planner.next(new DeliveryOutcome.EndpointGone(), 1, NOW)).isInstanceOf(NextStep.GiveUp.class);
        assertThat(planner.next(new DeliveryOutcome.Refused("private address"), 1, NOW)).isInstanceOf(NextStep.GiveUp.class);
    }
}
