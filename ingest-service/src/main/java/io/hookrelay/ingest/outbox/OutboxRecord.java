package io.hookrelay.ingest.outbox;

/** A row of {@code ingest.outbox}: one Kafka record waiting to be published. */
public record OutboxRecord(long id, String topic, String key, byte[] payload) {}
