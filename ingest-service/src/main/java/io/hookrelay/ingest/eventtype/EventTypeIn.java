package io.hookrelay.ingest.eventtype;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;

/** Request body of event type create, as Svix's {@code EventTypeIn}. */
record EventTypeIn(
        @NotBlank(message = "name must not be empty")
                @Size(max = 256)
                @Pattern(regexp = "^[a-zA-Z0-9\\-_.]+$", message = "name may contain only a-z A-Z 0-9 - _ .")
                String name,
        @NotNull(message = "description is required") String description,
        Boolean archived,
        Boolean deprecated,
        @Size(max = 256) @Pattern(regexp = "^[a-zA-Z0-9\\-_.]+$", message = "featureFlag may contain only a-z A-Z 0-9 - _ .")
                String featureFlag,
        JsonNode schemas) {

    EventTypeUpdate withoutName() {
        return new EventTypeUpdate(description, archived, deprecated, featureFlag, schemas);
    }
}
