package io.hookrelay.ingest.endpoint;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A receiver URL of an application. Empty {@code eventTypes}/{@code channels} mean "all".
 *
 * @param headers custom headers sent with every delivery (Svix "endpoint headers")
 * @param secret the signing secret, {@code whsec_<base64>}; never logged (see {@link #toString()})
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
        Map<String, String> headers,
        String secret,
        Instant createdAt,
        Instant updatedAt) {

    @Override
    public String toString() {
        return "Endpoint[id=" + id + ", appId=" + appId + ", url=" + url + ", secret=<redacted>]";
    }
}
