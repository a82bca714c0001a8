package io.hookrelay.delivery.dispatch;

import java.util.List;

/**
 * The delivery-side view of an endpoint: where to send, how to sign, what it subscribes to.
 * Empty filters mean "everything".
 */
public record EndpointTarget(
        String id,
        String appId,
        String url,
        List<String> eventTypes,
        List<String> channels,
        String secret,
        Integer throttleRate) {

    public EndpointTarget {
        eventTypes = eventTypes == null ? List.of() : List.copyOf(eventTypes);
        channels = channels == null ? List.of() : List.copyOf(channels);
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
