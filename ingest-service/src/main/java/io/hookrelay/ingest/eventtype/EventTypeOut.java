package io.hookrelay.ingest.eventtype;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** Response body, as Svix's {@code EventTypeOut}. */
record EventTypeOut(
        String name,
        String description,
        boolean archived,
        boolean deprecated,
        @Nullable String featureFlag,
        @Nullable JsonNode schemas,
        Instant createdAt,
        Instant updatedAt) {

    static EventTypeOut of(EventType type, boolean withSchemas) {
        return new EventTypeOut(
                type.name(),
                type.description(),
                type.archived(),
                type.deprecated(),
                type.featureFlag(),
                withSchemas ? type.schemas() : null,
                type.createdAt(),
                type.updatedAt());
    }
}
