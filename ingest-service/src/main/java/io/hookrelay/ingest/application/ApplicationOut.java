package io.hookrelay.ingest.application;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Response body, as Svix's {@code ApplicationOut}. */
public record ApplicationOut(
        String id,
        @Nullable String uid,
        String name,
        Map<String, String> metadata,
        @Nullable Integer throttleRate,
        Instant createdAt,
        Instant updatedAt) {

    static ApplicationOut of(Application application) {
        return new ApplicationOut(
                application.id(),
                application.uid(),
                application.name(),
                application.metadata(),
                application.throttleRate(),
                application.createdAt(),
                application.updatedAt());
    }
}
