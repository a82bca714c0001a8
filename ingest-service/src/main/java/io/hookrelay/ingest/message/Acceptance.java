package io.hookrelay.ingest.message;

import io.hookrelay.events.MessageAccepted;
import io.hookrelay.ingest.outbox.OutboxRecord;

/**
 * The outcome of storing a message: a new one, the one that already carries its eventId, or
 * nothing because the request's idempotency key was taken.
 */
sealed interface Acceptance {

    /** Stored with its outbox row, to be published once the transaction has committed. */
    record Stored(MessageAccepted message, OutboxRecord record) implements Acceptance {}

    record Duplicate(String appId, String originalId) implements Acceptance {}

    /** The request's idempotency key was taken by an earlier request: nothing was stored. */
    record KeyTaken() implements Acceptance {}
}
