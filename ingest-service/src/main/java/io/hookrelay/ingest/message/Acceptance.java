package io.hookrelay.ingest.message;

import io.hookrelay.events.MessageAccepted;
import io.hookrelay.ingest.outbox.OutboxRecord;

/** The outcome of storing a message: a new one, or the one that already carries its eventId. */
sealed interface Acceptance {

    /** Stored with its outbox row, to be published once the transaction has committed. */
    record Stored(MessageAccepted message, OutboxRecord record) implements Acceptance {}

    record Duplicate(String appId, String originalId) implements Acceptance {}
}
