package io.hookrelay.ingest.endpoint;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

/** As Svix's {@code EndpointSecretRotateIn}; without a key a new secret is generated. */
public record EndpointSecretRotateIn(
        @Pattern(regexp = "^(whsec_)?[a-zA-Z0-9+/=]{32,100}$", message = "key must be base64 (32-100 chars), optionally prefixed with whsec_")
                String key,
        @Min(0) @Max(604800) Long gracePeriodSeconds) {}
