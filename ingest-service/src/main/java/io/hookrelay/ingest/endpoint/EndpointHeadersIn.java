package io.hookrelay.ingest.endpoint;

import jakarta.validation.constraints.NotNull;
import java.util.Map;

/** Body of headers update, as Svix's {@code EndpointHeadersIn}: the endpoint's custom headers, replaced whole. */
public record EndpointHeadersIn(@NotNull(message = "headers is required") Map<String, String> headers) {}
