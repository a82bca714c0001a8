package io.hookrelay.ingest.message;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/**
 * Request body of send-example, as Svix's {@code EventExampleIn}.
 *
 * @param exampleIndex which of the event type's examples to send (default the first); current
 *     Svix SDKs have it, the open-source server's document does not
 */
public record EventExampleIn(
        @NotBlank(message = "eventType must not be empty")
                @Size(max = 256)
                @Pattern(regexp = "^[a-zA-Z0-9\\-_.]+$", message = "eventType may contain only a-z A-Z 0-9 - _ .")
                String eventType,
        @PositiveOrZero Long exampleIndex) {}
