package io.hookrelay.ingest.message;

import io.hookrelay.events.MessageAccepted;
import io.hookrelay.events.Topics;
import io.hookrelay.ingest.idempotency.KeyedResponse;
import io.hookrelay.ingest.outbox.Outbox;
import java.time.Instant;

/**
 * A message with the bytes of its Kafka record, as the outbox will hold and the relay send them,
 * the {@code traceparent} of the request that accepted it (null: none), and when its payload is
 * to be removed (Svix's {@code payloadRetentionPeriod}, ADR 0022), and the response to record for
 * the request's idempotency key in the same transaction (null: no key, ADR 0029).
 */
record Recorded(
        MessageAccepted message, byte[] value, String traceparent, Instant payloadExpiresAt, KeyedResponse response) {

    Outbox.Entry toOutboxEntry() {
        return new Outbox.Entry(Topics.MESSAGES, message.messageId(), value, traceparent);
    }
}
