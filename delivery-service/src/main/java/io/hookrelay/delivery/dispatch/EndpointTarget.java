package io.hookrelay.delivery.dispatch;

import java.util.List;

/**
 * The delivery-side view of an endpoint: where to send, how to sign, what it subscribes to.
 * Empty filters mean "everything".
 *
 * @param secrets the current signing secret, then the one it replaced while that one's grace
 *     period lasts (a rotation): both sign, so receivers can switch over
 * @param headers the endpoint's custom headers, sent with every delivery
 */
public record EndpointTarget(
        String id,
        String appId,
        String url,
        List<String> eventTypes,
        List<String> channels,
        List<String> secrets,
        Integer throttleRate,
        java.util.Map<String, String> headers) {

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

    @Override
    public String toString() {
        return "EndpointTarget[id=" + id + ", url=" + url + ", secret=<redacted>]";
    }
}
