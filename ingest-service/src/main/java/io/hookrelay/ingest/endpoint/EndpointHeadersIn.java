package io.hookrelay.ingest.endpoint;

import java.util.List;
import java.util.Map;

/**
 * Body of headers update (values required) and patch. A patch removes a header given with a
 * {@code null} value (the Svix server's document) or named in {@code deleteHeaders} (what current
 * Svix SDKs send).
 */
public record EndpointHeadersIn(Map<String, String> headers, List<String> deleteHeaders) {}
