package io.hookrelay.delivery.retry;

import java.time.Instant;

/** A delivery of one message to one endpoint that is not finished. */
public record PendingDelivery(
        String msgId,
        String endpointId,
        String appId,
        int attempts,
        State state,
        Instant dueAt,
        String lastOutcome,
        String lastReason) {

    public enum State {
        /** To be tried again at {@code dueAt}. */
        SCHEDULED,
        /** Failed for good; its dead-letter record is still to be published. */
        DEAD
    }
}
