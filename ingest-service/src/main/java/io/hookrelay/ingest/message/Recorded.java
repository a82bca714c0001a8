package io.hookrelay.ingest.message;

import io.hookrelay.events.MessageAccepted;

/** A message with the bytes of its Kafka record, as the outbox will hold and the relay send them. */
record Recorded(MessageAccepted message, byte[] value) {}
