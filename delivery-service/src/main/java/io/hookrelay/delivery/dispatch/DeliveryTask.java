package io.hookrelay.delivery.dispatch;

import io.hookrelay.events.MessageAccepted;

/** One attempt to make: this message, to this endpoint, as attempt number {@code attempt} (1-based). */
record DeliveryTask(MessageAccepted message, EndpointTarget endpoint, int attempt) {}
