package io.hookrelay.events;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The bytes of a {@link MessageAccepted} on {@link Topics#MESSAGES} (ADR 0010).
 *
 * <p>The payload travels as JSON inside the record, not as a JSON string holding JSON: an escaped
 * payload could grow to almost twice its size (every {@code "} becomes {@code \"}), and a message
 * small enough to accept could make a record too large for Kafka. It is written last and verbatim,
 * {@code {...metadata...,"payload":<the payload's bytes>}}, and read back by slicing those exact
 * bytes out of the record, so receivers get the payload byte for byte as it was stored.
 *
 * <p>Records written before this format (payload as a JSON string) are still read: the payload
 * field's type tells the two apart.
 */
public final class MessageRecords {

    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] PAYLOAD_FIELD = ",\"payload\":".getBytes(StandardCharsets.UTF_8);

    private MessageRecords() {}

    /**
     * The record's value.
     *
     * @throws IllegalArgumentException when the payload is not exactly one JSON object (possibly
     *     surrounded by whitespace): written verbatim, anything else would make the record unreadable
     */
    public static byte[] encode(MessageAccepted message) {
        byte[] payload = message.payload().getBytes(StandardCharsets.UTF_8);
        requireOneObject(payload);
        return encodeChecked(message, payload);
    }

    /**
     * The record's value, for a payload the caller has just written itself as one JSON object (for
     * example with a JSON library from an object node): not parsed again, which {@link #encode}
     * does for a payload of unknown origin.
     *
     * @param payload the UTF-8 bytes of {@code message.payload()}, exactly one JSON object
     */
    public static byte[] encodeWrittenObject(MessageAccepted message, byte[] payload) {
        return encodeChecked(message, payload);
    }

    private static byte[] encodeChecked(MessageAccepted message, byte[] payload) {
        var out = new ByteArrayOutputStream(payload.length + 256);
        try (JsonGenerator generator = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            generator.writeStartObject();
            generator.writeStringProperty("appId", message.appId());
            generator.writeStringProperty("messageId", message.messageId());
            generator.writeStringProperty("eventType", message.eventType());
            if (message.eventId() != null) {
                generator.writeStringProperty("eventId", message.eventId());
            }
            generator.writeName("channels");
            generator.writeStartArray();
            for (String channel : message.channels()) {
                generator.writeString(channel);
            }
            generator.writeEndArray();
            generator.writeStringProperty("timestamp", message.timestamp().toString());
            if (message.onlyEndpointId() != null) {
                generator.writeStringProperty("onlyEndpointId", message.onlyEndpointId());
            }
            generator.writeEndObject();
        }
        byte[] metadata = out.toByteArray();
        out.reset();
        out.write(metadata, 0, metadata.length - 1); // without its closing brace
        out.writeBytes(PAYLOAD_FIELD);
        out.writeBytes(payload);
        out.write('}');
        return out.toByteArray();
    }

    /**
     * Reads a record in either format.
     *
     * @throws UnreadableRecordException when it is not JSON, not an object, or lacks a required
     *     field ({@code appId}, {@code messageId}, {@code eventType}, {@code timestamp},
     *     {@code payload}); retrying cannot change that
     */
    public static MessageAccepted decode(byte[] value) {
        if (value == null) {
            throw new UnreadableRecordException("the record has no value");
        }
        var fields = new Fields();
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new UnreadableRecordException("the record is not a JSON object");
            }
            String name;
            while ((name = parser.nextName()) != null) {
                parser.nextToken();
                switch (name) {
                    case "appId" -> fields.appId = text(parser, name);
                    case "messageId" -> fields.messageId = text(parser, name);
                    case "eventType" -> fields.eventType = text(parser, name);
                    case "eventId" -> fields.eventId = text(parser, name);
                    case "onlyEndpointId" -> fields.onlyEndpointId = text(parser, name);
                    case "channels" -> fields.channels = strings(parser, name);
                    case "timestamp" -> fields.timestamp = instant(parser);
                    case "payload" -> fields.payload = payload(parser, value);
                    default -> parser.skipChildren(); // a field a newer writer added
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new UnreadableRecordException("the record is not one complete JSON object");
            }
        } catch (JacksonException e) {
            throw new UnreadableRecordException("the record is not valid JSON: " + e.getOriginalMessage(), e);
        }
        return fields.message();
    }

    private static String text(JsonParser parser, String name) {
        return switch (parser.currentToken()) {
            case VALUE_STRING -> parser.getString();
            case VALUE_NULL -> null;
            default -> throw new UnreadableRecordException("'" + name + "' is not a string");
        };
    }

    private static List<String> strings(JsonParser parser, String name) {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new UnreadableRecordException("'" + name + "' is not an array");
        }
        var values = new ArrayList<String>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                throw new UnreadableRecordException("'" + name + "' holds something other than strings");
            }
            values.add(parser.getString());
        }
        return values;
    }

    /** ISO-8601 as written today; decimal epoch seconds as a mapper writing timestamps as numbers did. */
    private static Instant instant(JsonParser parser) {
        try {
            return switch (parser.currentToken()) {
                case VALUE_STRING -> IsoInstants.parse(parser.getString());
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                    BigDecimal seconds = parser.getDecimalValue();
                    yield Instant.ofEpochSecond(seconds.longValue(),
                            seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
                }
                case VALUE_NULL -> null;
                default -> throw new UnreadableRecordException("'timestamp' is not a time");
            };
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new UnreadableRecordException("'timestamp' is not a time: " + e.getMessage());
        }
    }

    /**
     * The payload text: the bytes of the object as they are in the record, with any whitespace
     * around it (a raw payload is stored exactly as sent); or, in the old format, the string.
     */
    private static String payload(JsonParser parser, byte[] value) {
        return switch (parser.currentToken()) {
            case VALUE_STRING -> parser.getString();
            case START_OBJECT -> {
                int start = (int) parser.currentTokenLocation().getByteOffset();
                parser.skipChildren();
                int end = (int) parser.currentLocation().getByteOffset();
                while (start > 0 && isWhitespace(value[start - 1])) {
                    start--;
                }
                while (end < value.length && isWhitespace(value[end])) {
                    end++;
                }
                yield new String(value, start, end - start, StandardCharsets.UTF_8);
            }
            case VALUE_NULL -> null;
            default -> throw new UnreadableRecordException("'payload' is not a JSON object");
        };
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private static void requireOneObject(byte[] payload) {
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("the payload is not a JSON object");
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("the payload has more than one JSON value");
            }
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the payload is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** What a record said, checked once it has all been read. */
    private static final class Fields {
        String appId;
        String messageId;
        String eventType;
        String eventId;
        String onlyEndpointId;
        List<String> channels = List.of();
        Instant timestamp;
        String payload;

        MessageAccepted message() {
            require(appId, "appId");
            require(messageId, "messageId");
            require(eventType, "eventType");
            require(payload, "payload");
            if (timestamp == null) {
                throw new UnreadableRecordException("'timestamp' is missing");
            }
            requirePrefix(appId, "appId", PrefixedId.APPLICATION);
            requirePrefix(messageId, "messageId", PrefixedId.MESSAGE);
            if (onlyEndpointId != null) {
                requirePrefix(onlyEndpointId, "onlyEndpointId", PrefixedId.ENDPOINT);
            }
            return new MessageAccepted(appId, messageId, eventType, eventId, channels, payload, timestamp, onlyEndpointId);
        }

        private static void requirePrefix(String value, String name, String prefix) {
            if (!value.startsWith(prefix + "_")) {
                throw new UnreadableRecordException("'" + name + "' is not an id starting with " + prefix + "_");
            }
        }

        private static void require(String value, String name) {
            if (value == null || value.isBlank()) {
                throw new UnreadableRecordException("'" + name + "' is missing");
            }
        }
    }
}
