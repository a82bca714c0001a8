package io.hookrelay.frontdoor;

/**
 * The words of every 503 that cannot say whether a change was made (ADR 0021): the gateway's when a
 * connection to a service is lost or late, ingest's at its accept deadline, a service's when its
 * database connection is lost under a change. One text, so a client (or its operator) reading any
 * of them learns the same thing: retrying with the same {@code idempotency-key} is safe.
 */
public final class OutcomeUnknown {

    public static final String DETAIL = "The request may have been accepted: its outcome is unknown. "
            + "Retry it with the same idempotency-key, which makes the retry safe (the first outcome is answered again)";

    private OutcomeUnknown() {}
}
