package io.hookrelay.ingest.application;

import java.time.Instant;
import java.util.Map;

/** A tenant of the sender: the customer whose endpoints receive its messages. */
public record Application(
        String id,
        String uid,
        String name,
        Map<String, String> metadata,
        Integer throttleRate,
        Instant createdAt,
        Instant updatedAt) {}
