package io.hookrelay.signer;

/** Why a {@link WebhookVerifier} refused a message. */
public enum RejectionReason {

    /** {@code webhook-id}, {@code webhook-timestamp} or {@code webhook-signature} is absent or blank. */
    MISSING_HEADER,

    /** {@code webhook-timestamp} is not a whole number of Unix seconds. */
    INVALID_TIMESTAMP,

    /** The timestamp is older than the tolerance allows: a late delivery or a replay. */
    TIMESTAMP_TOO_OLD,

    /** The timestamp is further in the future than the tolerance allows: a clock problem or forgery. */
    TIMESTAMP_TOO_NEW,

    /** {@code webhook-signature} holds no {@code version,signature} entry at all. */
    MALFORMED_SIGNATURE,

    /** No signature in the header matches any key: a wrong secret, a changed body, or forgery. */
    NO_MATCHING_SIGNATURE
}
