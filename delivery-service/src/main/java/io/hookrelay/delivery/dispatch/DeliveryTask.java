package io.hookrelay.delivery.dispatch;

import io.hookrelay.events.MessageAccepted;

/**
 * One attempt to make: this message, to this endpoint, as attempt number {@code attempt}
 * (1-based), triggered by the schedule or by a person ({@code Attempt.SCHEDULED}/{@code MANUAL}).
 */
record DeliveryTask(MessageAccepted message, EndpointTarget endpoint, int attempt, int trigger) {

    static DeliveryTask scheduled(MessageAccepted message, EndpointTarget endpoint, int attempt) {
        return new DeliveryTask(message, endpoint, attempt, io.hookrelay.delivery.attempt.Attempt.SCHEDULED);
    }

    static DeliveryTask manual(MessageAccepted message, EndpointTarget endpoint) {
        return new DeliveryTask(message, endpoint, 1, io.hookrelay.delivery.attempt.Attempt.MANUAL);
    }
}
