package io.hookrelay.ingest.endpoint;

import java.util.Map;

/** Body of headers update (values required) and patch (a {@code null} value removes the header). */
public record EndpointHeadersIn(Map<String, String> headers) {}
