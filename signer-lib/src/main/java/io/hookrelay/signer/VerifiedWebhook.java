package io.hookrelay.signer;

import java.time.Instant;

/**
 * A message whose signature matched and whose timestamp is within tolerance.
 *
 * @param id the message id ({@code webhook-id}): stable across retries, use it to deduplicate
 * @param timestamp the attempt's time in Unix seconds ({@code webhook-timestamp})
 */
public record VerifiedWebhook(String id, long timestamp) implements VerificationResult {

    /** {@return the attempt's time as an instant} */
    public Instant sentAt() {
        return Instant.ofEpochSecond(timestamp);
    }
}
