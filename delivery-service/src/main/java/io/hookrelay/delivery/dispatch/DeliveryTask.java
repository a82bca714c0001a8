package io.hookrelay.delivery.dispatch;

import io.hookrelay.delivery.attempt.Attempt;
import io.hookrelay.events.MessageAccepted;
import io.micrometer.tracing.TraceContext;
import java.time.Instant;

/**
 * One attempt to make: this message, to this endpoint, as attempt number {@code attempt}
 * (1-based), triggered by the schedule or by a person ({@code Attempt.SCHEDULED}/{@code MANUAL}),
 * under the span of the consumed record ({@code trace}; null when none: a new trace then).
 * {@code leaseEnd} is the {@code due_at} the claim of its row wrote, as PostgreSQL stored it: the
 * attempt must be over by then, and a hand-back releases the row only while that claim holds.
 */
record DeliveryTask(MessageAccepted message, EndpointTarget endpoint, int attempt, int trigger, TraceContext trace,
        Instant leaseEnd) {

    /** A first attempt, straight from the consumed record. */
    static DeliveryTask first(MessageAccepted message, EndpointTarget endpoint, TraceContext trace, Instant leaseEnd) {
        return new DeliveryTask(message, endpoint, 1, Attempt.SCHEDULED, trace, leaseEnd);
    }

    static DeliveryTask scheduled(MessageAccepted message, EndpointTarget endpoint, int attempt, Instant leaseEnd) {
        return new DeliveryTask(message, endpoint, attempt, Attempt.SCHEDULED, null, leaseEnd);
    }

    static DeliveryTask manual(MessageAccepted message, EndpointTarget endpoint, Instant leaseEnd) {
        return new DeliveryTask(message, endpoint, 1, Attempt.MANUAL, null, leaseEnd);
    }
}
