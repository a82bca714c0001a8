package io.hookrelay.ingest.endpoint;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A receiver URL of an application. Empty {@code eventTypes}/{@code channels} mean "all". Its
 * credentials, the signing secret and the custom headers, are not part of it: they are stored
 * encrypted and read only by the operations that need them ({@link EndpointRepository#secret},
 * {@link EndpointRepository#headers}), so an unreadable credential never stops a listing.
 */
public record Endpoint(
        String id,
        String appId,
        String uid,
        String url,
        String description,
        int version,
        List<String> eventTypes,
        List<String> channels,
        boolean disabled,
        Integer throttleRate,
        Map<String, String> metadata,
        Instant createdAt,
        Instant updatedAt) {

    @Override
    public String toString() {
        return "Endpoint[id=" + id + ", appId=" + appId + ", url=" + url + "]";
    }
}
