package io.hookrelay.ingest.message;

import io.hookrelay.events.MessageAccepted;
import io.hookrelay.events.Topics;
import io.hookrelay.ingest.outbox.Outbox;
import java.time.Instant;

/**
 * A message with the bytes of its Kafka record, as the outbox will hold and the relay send them,
 * the {@code traceparent} of the request that accepted it (null: none), and when its payload is
 * to be removed (Svix's {@code payloadRetentionPeriod}, ADR 0022).
 */
record Recorded(MessageAccepted message, byte[] value, String traceparent, Instant payloadExpiresAt) {

    Outbox.Entry toOutboxEntry() {
        return new Outbox.Entry(Topics.MESSAGES, message.messageId(), value, traceparent);
    }
}
