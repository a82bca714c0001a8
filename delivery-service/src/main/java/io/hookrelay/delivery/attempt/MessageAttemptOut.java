package io.hookrelay.delivery.attempt;

import java.time.Instant;

/** As Svix's {@code MessageAttemptOut}. */
public record MessageAttemptOut(
        String id,
        String msgId,
        String endpointId,
        String url,
        String response,
        int responseStatusCode,
        long responseDurationMs,
        int status,
        String statusText,
        int triggerType,
        Instant timestamp) {

    private static final String[] STATUS_TEXT = {"success", "pending", "fail", "sending"};

    static MessageAttemptOut of(Attempt attempt) {
        return new MessageAttemptOut(
                attempt.id(),
                attempt.msgId(),
                attempt.endpointId(),
                attempt.url(),
                attempt.response(),
                attempt.responseStatusCode(),
                attempt.responseDurationMs(),
                attempt.status(),
                STATUS_TEXT[attempt.status()],
                attempt.triggerType(),
                attempt.timestamp());
    }
}
