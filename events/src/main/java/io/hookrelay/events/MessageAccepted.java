package io.hookrelay.events;

import java.time.Instant;
import java.util.List;

/**
 * Published on {@link Topics#MESSAGES} once a message is durably stored: everything
 * delivery-service needs to fan it out, so no database read is needed for the message itself.
 *
 * @param payload the message payload as compact JSON text, sent to receivers byte for byte
 * @param channels the message's channels, empty when it has none
 */
public record MessageAccepted(
        String appId,
        String messageId,
        String eventType,
        String eventId,
        List<String> channels,
        String payload,
        Instant timestamp) {

    public MessageAccepted {
        channels = channels == null ? List.of() : List.copyOf(channels);
    }
}
