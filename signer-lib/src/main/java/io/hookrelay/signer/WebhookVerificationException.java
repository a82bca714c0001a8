package io.hookrelay.signer;

import java.io.Serial;

/**
 * A message failed verification; {@link #reason()} says why. Checked: a receiver must decide
 * what to answer (usually 400 or 401) when a request is not authentic.
 *
 * <p>Carries no stack trace: a rejection is an expected outcome on hostile input, not a bug, and
 * filling stack traces under a flood of forged requests is wasted work.
 */
public final class WebhookVerificationException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Serializable as an enum: always present. */
    private final RejectionReason reason;

    /**
     * A rejection.
     *
     * @param reason why
     * @param detail a message for logs, without secrets
     */
    public WebhookVerificationException(RejectionReason reason, String detail) {
        super(reason + ": " + detail, null, false, false);
        this.reason = reason;
    }

    /** {@return why the message was rejected} */
    public RejectionReason reason() {
        return reason;
    }
}
