package io.hookrelay.signer;

/**
 * A message the verifier refused.
 *
 * @param reason why, to branch on
 * @param detail a human-readable explanation; never contains secrets or expected signatures
 */
public record RejectedWebhook(RejectionReason reason, String detail) implements VerificationResult {

    /** {@return an exception carrying this rejection} */
    public WebhookVerificationException toException() {
        return new WebhookVerificationException(reason, detail);
    }
}
