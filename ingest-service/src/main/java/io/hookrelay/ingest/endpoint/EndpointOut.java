package io.hookrelay.ingest.endpoint;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Response body, as Svix's {@code EndpointOut} (the secret is served by its own operation). */
public record EndpointOut(
        String id,
        @Nullable String uid,
        String url,
        String description,
        int version,
        @Nullable List<String> eventTypes,
        @Nullable List<String> channels,
        boolean disabled,
        @Nullable Integer throttleRate,
        Map<String, String> metadata,
        Instant createdAt,
        Instant updatedAt) {

    /** Newer Svix SDKs read {@code filterTypes}; the value is the same list. */
    @JsonProperty("filterTypes")
    public List<String> filterTypes() {
        return eventTypes;
    }

    static EndpointOut of(Endpoint endpoint) {
        return new EndpointOut(
                endpoint.id(),
                endpoint.uid(),
                endpoint.url(),
                endpoint.description(),
                endpoint.version(),
                endpoint.eventTypes(),
                endpoint.channels(),
                endpoint.disabled(),
                endpoint.throttleRate(),
                endpoint.metadata(),
                endpoint.createdAt(),
                endpoint.updatedAt());
    }
}
