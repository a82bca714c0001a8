package io.hookrelay.ingest.application;

import java.time.Instant;
import java.util.Map;

/** Response body, as Svix's {@code ApplicationOut}. */
public record ApplicationOut(
        String id,
        String uid,
        String name,
        Map<String, String> metadata,
        Integer throttleRate,
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
