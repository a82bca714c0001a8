package io.hookrelay.ingest.endpoint;

import com.fasterxml.jackson.annotation.JsonAlias;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * Request body of endpoint update (PUT) and, with every field optional, of patch: Svix's
 * {@code EndpointUpdate}, that is {@link EndpointIn} without the secret. A secret changes only by
 * rotation; a PUT that creates the endpoint gets a generated one, as on the Svix server.
 */
public record EndpointUpdate(
        @NotBlank(message = "url must not be empty") @Size(max = 65536) String url,
        String description,
        @Size(min = 1, max = 256) @Pattern(regexp = "^[a-zA-Z0-9\\-_.]+$", message = "uid may contain only a-z A-Z 0-9 - _ .")
                String uid,
        Integer version,
        @JsonAlias("filterTypes") @Size(min = 1, message = "eventTypes must not be an empty list; omit it for all")
                List<@NotBlank @Size(max = 256) @Pattern(regexp = "^[a-zA-Z0-9\\-_.]+$") String> eventTypes,
        @Size(min = 1, max = 10, message = "channels must hold 1 to 10 items; omit it for all")
                List<@NotBlank @Size(max = 128) @Pattern(regexp = "^[a-zA-Z0-9\\-_.]+$") String> channels,
        Boolean disabled,
        @Min(1) @Max(65535) Integer throttleRate,
        Map<String, String> metadata) {

    public EndpointUpdate {
        description = description == null ? "" : description;
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** The endpoint this update creates when there is none yet: no secret given, so one is generated. */
    EndpointIn asNewEndpoint() {
        return new EndpointIn(url, description, uid, version, eventTypes, channels, disabled, throttleRate, metadata, null);
    }
}
