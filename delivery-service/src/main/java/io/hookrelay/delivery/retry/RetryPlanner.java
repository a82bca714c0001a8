package io.hookrelay.delivery.retry;

import io.hookrelay.delivery.classification.DeliveryOutcome;
import java.time.Instant;
import org.springframework.stereotype.Component;

/** Decides, from an attempt's outcome and how many attempts were made, what happens next. */
@Component
public class RetryPlanner {

    private final RetrySchedule schedule;

    public RetryPlanner(RetrySchedule schedule) {
        this.schedule = schedule;
    }

    public NextStep next(DeliveryOutcome outcome, int attemptsSoFar, Instant now) {
        return switch (outcome) {
            case DeliveryOutcome.Delivered delivered -> new NextStep.Done();
            case DeliveryOutcome.Retryable retryable -> schedule.nextDelay(attemptsSoFar, retryable.retryAfter())
                    .<NextStep>map(delay -> new NextStep.RetryAt(now.plus(delay)))
                    .orElseGet(() -> new NextStep.GiveUp("no attempt left after " + attemptsSoFar + " ("
                            + retryable.reason() + ")"));
            case DeliveryOutcome.EndpointGone gone -> new NextStep.GiveUp("endpoint is gone (410)");
            case DeliveryOutcome.Failed failed -> new NextStep.GiveUp("permanent failure: " + failed.reason());
            case DeliveryOutcome.Refused refused -> new NextStep.GiveUp("destination refused: " + refused.reason());
        };
    }
}
