package io.hookrelay.events;

import java.time.Instant;
import java.util.List;

/**
 * Published on {@link Topics#MESSAGES} once a message is durably stored: everything
 * delivery-service needs to fan it out, so no database read is needed for the message itself.
 *
 * @param payload the message payload as compact JSON text, sent to receivers byte for byte
 * @param channels the message's channels, empty when it has none
 * @param onlyEndpointId when set, the message is for this one endpoint of the application and no
 *     other (Svix's send-example); the endpoint's usual filters still apply. {@code null} — and
 *     absent, as in every record written before this field existed — means every matching
 *     endpoint
 */
public record MessageAccepted(
        String appId,
        String messageId,
        String eventType,
        String eventId,
        List<String> channels,
        String payload,
        Instant timestamp,
        String onlyEndpointId) {

    public MessageAccepted {
        channels = channels == null ? List.of() : List.copyOf(channels);
    }

    /** A message for every matching endpoint of its application. */
    public MessageAccepted(
            String appId,
            String messageId,
            String eventType,
            String eventId,
            List<String> channels,
            String payload,
            Instant timestamp) {
        this(appId, messageId, eventType, eventId, channels, payload, timestamp, null);
    }
}
