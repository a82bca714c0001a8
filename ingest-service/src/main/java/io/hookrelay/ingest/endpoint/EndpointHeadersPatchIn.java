package io.hookrelay.ingest.endpoint;

import java.util.List;
import java.util.Map;

/**
 * Body of headers patch, as Svix's {@code EndpointHeadersPatchIn}. A header given with a
 * {@code null} value (the Svix server's document) or named in {@code deleteHeaders} (what current
 * Svix SDKs send) is removed; so {@code headers} may be absent when only deleting.
 */
public record EndpointHeadersPatchIn(Map<String, String> headers, List<String> deleteHeaders) {}
