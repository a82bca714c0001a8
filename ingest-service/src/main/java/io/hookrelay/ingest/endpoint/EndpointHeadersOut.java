package io.hookrelay.ingest.endpoint;

import java.util.List;
import java.util.Map;

/** As Svix's {@code EndpointHeadersOut}: sensitive headers are listed by name, their values withheld. */
public record EndpointHeadersOut(Map<String, String> headers, List<String> sensitive) {}
