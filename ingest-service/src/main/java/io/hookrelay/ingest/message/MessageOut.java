package io.hookrelay.ingest.message;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Response body, as Svix's {@code MessageOut}. */
public record MessageOut(
        String id, String eventType, String eventId, List<String> channels, JsonNode payload, Instant timestamp) {}
