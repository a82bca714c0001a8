package io.hookrelay.ingest.message;

import io.hookrelay.events.MessageAccepted;
import io.hookrelay.events.Topics;
import io.hookrelay.ingest.outbox.Outbox;

/**
 * A message with the bytes of its Kafka record, as the outbox will hold and the relay send them,
 * and the {@code traceparent} of the request that accepted it (null: none).
 */
record Recorded(MessageAccepted message, byte[] value, String traceparent) {

    Outbox.Entry toOutboxEntry() {
        return new Outbox.Entry(Topics.MESSAGES, message.messageId(), value, traceparent);
    }
}
