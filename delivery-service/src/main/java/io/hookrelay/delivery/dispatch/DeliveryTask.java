package io.hookrelay.delivery.dispatch;

import io.hookrelay.events.MessageAccepted;
import io.micrometer.tracing.TraceContext;

/**
 * One attempt to make: this message, to this endpoint, as attempt number {@code attempt}
 * (1-based), triggered by the schedule or by a person ({@code Attempt.SCHEDULED}/{@code MANUAL}),
 * under the span of the consumed record ({@code trace}; null when none: a new trace then).
 */
record DeliveryTask(MessageAccepted message, EndpointTarget endpoint, int attempt, int trigger, TraceContext trace) {

    /** A first attempt, straight from the consumed record. */
    static DeliveryTask first(MessageAccepted message, EndpointTarget endpoint, TraceContext trace) {
        return new DeliveryTask(message, endpoint, 1, io.hookrelay.delivery.attempt.Attempt.SCHEDULED, trace);
    }

    static DeliveryTask scheduled(MessageAccepted message, EndpointTarget endpoint, int attempt) {
        return new DeliveryTask(message, endpoint, attempt, io.hookrelay.delivery.attempt.Attempt.SCHEDULED, null);
    }

    static DeliveryTask manual(MessageAccepted message, EndpointTarget endpoint) {
        return new DeliveryTask(message, endpoint, 1, io.hookrelay.delivery.attempt.Attempt.MANUAL, null);
    }
}
