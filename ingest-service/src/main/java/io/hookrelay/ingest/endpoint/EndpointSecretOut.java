package io.hookrelay.ingest.endpoint;

/** As Svix's {@code EndpointSecretOut}. */
public record EndpointSecretOut(String key) {}
