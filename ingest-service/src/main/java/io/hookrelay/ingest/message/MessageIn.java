package io.hookrelay.ingest.message;

import io.hookrelay.ingest.application.ApplicationIn;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Request body of message create, as Svix's {@code MessageIn}.
 *
 * @param application creates the application alongside the message when the one named in the
 *     path does not exist (its {@code uid} must then equal the path's); ignored when it exists
 */
public record MessageIn(
        @NotBlank(message = "eventType must not be empty")
                @Size(max = 256)
                @Pattern(regexp = "^[a-zA-Z0-9\\-_.]+$", message = "eventType may contain only a-z A-Z 0-9 - _ .")
                String eventType,
        @NotNull(message = "payload is required") JsonNode payload,
        @Size(min = 1, max = 256) @Pattern(regexp = "^[a-zA-Z0-9\\-_.]+$", message = "eventId may contain only a-z A-Z 0-9 - _ .")
                String eventId,
        @Size(min = 1, max = 5, message = "channels must hold 1 to 5 items; omit it for none")
                List<@NotBlank @Size(max = 128) @Pattern(regexp = "^[a-zA-Z0-9\\-_.]+$") String> channels,
        @Min(value = 5, message = "payloadRetentionPeriod must be 5 to 90 (days)")
                @Max(value = 90, message = "payloadRetentionPeriod must be 5 to 90 (days)")
                Long payloadRetentionPeriod,
        JsonNode transformationsParams,
        @Valid ApplicationIn application) {

    /** Svix's default {@code payloadRetentionPeriod}, in days. */
    static final long DEFAULT_PAYLOAD_RETENTION_DAYS = 90;

    /** How long the payload is kept: {@code payloadRetentionPeriod} days, 90 when absent (as Svix). */
    Duration payloadRetention() {
        return Duration.ofDays(payloadRetentionPeriod == null ? DEFAULT_PAYLOAD_RETENTION_DAYS : payloadRetentionPeriod);
    }

    /** This message without {@link #application()}: it may not create its application. */
    public MessageIn withoutApplication() {
        return new MessageIn(eventType, payload, eventId, channels, payloadRetentionPeriod, transformationsParams, null);
    }

    /**
     * Current Svix SDKs send the payload as text in {@code transformationsParams.rawPayload}
     * (with an empty {@code payload}) so it is delivered byte for byte; the Svix server honours
     * it, and so do we.
     */
    public String rawPayload() {
        if (transformationsParams == null || !transformationsParams.isObject()) {
            return null;
        }
        JsonNode raw = transformationsParams.get("rawPayload");
        return raw != null && raw.isString() ? raw.asString() : null;
    }
}
