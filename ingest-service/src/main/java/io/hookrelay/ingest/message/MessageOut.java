package io.hookrelay.ingest.message;

import io.hookrelay.events.MessageAccepted;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Response body, as Svix's {@code MessageOut}. */
public record MessageOut(
        String id,
        String eventType,
        @Nullable String eventId,
        @Nullable List<String> channels,
        JsonNode payload,
        Instant timestamp) {

    /** {@code withContent=false} (Svix's {@code with_content}) answers an empty payload object. */
    static MessageOut of(MessageAccepted message, JsonNode payload, JsonMapper json, boolean withContent) {
        return new MessageOut(
                message.messageId(),
                message.eventType(),
                message.eventId(),
                message.channels().isEmpty() ? null : message.channels(),
                withContent ? (payload != null ? payload : json.readTree(message.payload())) : json.createObjectNode(),
                message.timestamp());
    }
}
