package io.hookrelay.delivery.retry;

import java.time.Instant;

/**
 * A delivery of one message to one endpoint that is not finished.
 *
 * @param interruptedClaim set only on a row {@link PendingDeliveries#claimDue} returns: when the
 *     claim before this one began, if that claim was for an attempt and ended without an outcome
 *     (the process making it stopped; ADR 0027); null otherwise
 */
public record PendingDelivery(
        String msgId,
        String endpointId,
        String appId,
        int attempts,
        State state,
        Instant dueAt,
        String lastOutcome,
        String lastReason,
        Instant interruptedClaim) {

    public PendingDelivery(String msgId, String endpointId, String appId, int attempts, State state, Instant dueAt,
            String lastOutcome, String lastReason) {
        this(msgId, endpointId, appId, attempts, state, dueAt, lastOutcome, lastReason, null);
    }

    public enum State {
        /** To be tried again at {@code dueAt}. */
        SCHEDULED,
        /** Failed for good; its dead-letter record is still to be published. */
        DEAD
    }
}
