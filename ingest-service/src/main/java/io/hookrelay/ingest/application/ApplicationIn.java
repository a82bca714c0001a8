package io.hookrelay.ingest.application;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/** Request body of application create, as Svix's {@code ApplicationIn}. */
public record ApplicationIn(
        @NotBlank(message = "name must not be empty") String name,
        @Size(min = 1, max = 256) @Pattern(regexp = "^[a-zA-Z0-9\\-_.]+$", message = "uid may contain only a-z A-Z 0-9 - _ .")
                String uid,
        Map<String, String> metadata,
        @Min(1) @Max(65535) Integer throttleRate) {

    public ApplicationIn {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
