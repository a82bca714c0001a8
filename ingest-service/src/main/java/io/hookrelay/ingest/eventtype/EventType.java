package io.hookrelay.ingest.eventtype;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * A kind of message the sender emits ({@code invoice.paid}), with its JSON schemas by version.
 * Deleting one archives it; the name stays reserved until it is expunged.
 */
record EventType(
        String name,
        String description,
        boolean archived,
        boolean deprecated,
        String featureFlag,
        JsonNode schemas,
        Instant createdAt,
        Instant updatedAt) {}
