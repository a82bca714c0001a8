package io.hookrelay.ingest.idempotency;

/**
 * The request's {@code idempotency-key} was already taken when its transaction claimed it: the
 * work was not done, and {@link IdempotencyFilter} answers with the first request's response.
 * Raised inside the transaction, so whatever it wrote before is rolled back.
 */
public final class IdempotencyKeyTaken extends RuntimeException {

    public IdempotencyKeyTaken() {
        super("idempotency-key already taken", null, false, false);
    }
}
