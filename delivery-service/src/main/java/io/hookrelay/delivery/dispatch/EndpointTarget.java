package io.hookrelay.delivery.dispatch;

import java.util.List;

/**
 * The delivery-side view of an endpoint: where to send, how to sign, what it subscribes to.
 * Empty filters mean "everything".
 *
 * @param secrets the current signing secret, then the one it replaced while that one's grace
 *     period lasts (a rotation): both sign, so receivers can switch over
 * @param headers the endpoint's custom headers, sent with every delivery
 * @param unreadable why the stored secret or headers could not be used (e.g. stored without
 *     encryption although a key is configured), or null when they were read; such an endpoint is
 *     owed its messages but nothing is sent to it (secrets and headers are then empty)
 */
public record EndpointTarget(
        String id,
        String appId,
        String url,
        List<String> eventTypes,
        List<String> channels,
        List<String> secrets,
        Integer throttleRate,
        java.util.Map<String, String> headers,
        String unreadable) {

    public EndpointTarget(String id, String appId, String url, List<String> eventTypes, List<String> channels,
            List<String> secrets, Integer throttleRate, java.util.Map<String, String> headers) {
        this(id, appId, url, eventTypes, channels, secrets, throttleRate, headers, null);
    }

    public EndpointTarget {
        eventTypes = eventTypes == null ? List.of() : List.copyOf(eventTypes);
        channels = channels == null ? List.of() : List.copyOf(channels);
        secrets = List.copyOf(secrets);
        headers = headers == null ? java.util.Map.of() : java.util.Map.copyOf(headers);
    }

    /** Whether a message of {@code eventType} on {@code messageChannels} is for this endpoint. */
    public boolean subscribesTo(String eventType, List<String> messageChannels) {
        boolean typeMatches = eventTypes.isEmpty() || eventTypes.contains(eventType);
        boolean channelMatches = channels.isEmpty() || messageChannels.stream().anyMatch(channels::contains);
        return typeMatches && channelMatches;
    }

    /** Whether its secret and headers were read, so a delivery can be signed and sent. */
    public boolean usable() {
        return unreadable == null;
    }

    @Override
    public String toString() {
        return "EndpointTarget[id=" + id + ", url=" + url + ", secret=<redacted>, headers=<redacted>]";
    }
}
