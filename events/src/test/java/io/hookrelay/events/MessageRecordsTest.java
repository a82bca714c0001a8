package io.hookrelay.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageRecordsTest {

    static final Instant AT = Instant.parse("2026-11-29T17:00:00.123Z");

    static MessageAccepted message(String payload) {
        return new MessageAccepted("app_1", "msg_1", "invoice.paid", "evt-1", List.of("eu", "b2b"), payload, AT);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{}",
        "{\"a\":1}",
        "  {\"spaced\" : [ 1 , 2 ] }\n",
        "{\"text\":\"quotes \\\" and \\\\ backslashes, \\u0000 escapes, \\ud83d\\ude00\"}",
        "{\"unicode\":\"żółw 🐢 東京\",\"n\":1.50e+3,\"deep\":[[[{\"x\":null}]]]}",
        "{\"a\":{\"}\":\"{\"}}"
    })
    void readsThePayloadBackByteForByte(String payload) {
        byte[] record = MessageRecords.encode(message(payload));

        MessageAccepted read = MessageRecords.decode(record);

        assertThat(read.payload().getBytes(StandardCharsets.UTF_8)).isEqualTo(payload.getBytes(StandardCharsets.UTF_8));
        assertThat(read).isEqualTo(message(payload));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"a\":1}", "{\"unicode\":\"żółw 🐢\",\"deep\":[[{\"x\":null}]]}"})
    void aPayloadTheCallerWroteItselfMakesTheSameRecordWithoutBeingParsedAgain(String payload) {
        byte[] written = payload.getBytes(StandardCharsets.UTF_8);

        assertThat(MessageRecords.encodeWrittenObject(message(payload), written)).isEqualTo(MessageRecords.encode(message(payload)));
    }

    @Test
    void keepsEveryField() {
        var sendExample = new MessageAccepted("app_2", "msg_2", "svix.ping", null, List.of(), "{\"success\":true}", AT, "ep_9");

        assertThat(MessageRecords.decode(MessageRecords.encode(sendExample))).isEqualTo(sendExample);
    }

    @Test
    void thePayloadIsJsonInTheRecordNotAnEscapedString() {
        String payload = "{\"a\":[" + "\"\",".repeat(10_000) + "\"\"]}";

        byte[] record = MessageRecords.encode(message(payload));

        assertThat(new String(record, StandardCharsets.UTF_8)).endsWith(",\"payload\":" + payload + "}");
        assertThat(record.length - payload.length()).isLessThan(200);
    }

    @Test
    void readsRecordsWrittenInTheOldFormat() {
        String old = "{\"appId\":\"app_1\",\"messageId\":\"msg_1\",\"eventType\":\"invoice.paid\",\"eventId\":\"evt-1\","
                + "\"channels\":[\"eu\",\"b2b\"],\"payload\":\"{\\\"a\\\": \\\"x\\\\\\\"y\\\"}\","
                + "\"timestamp\":\"2026-11-29T17:00:00.123Z\",\"onlyEndpointId\":null}";

        MessageAccepted read = MessageRecords.decode(old.getBytes(StandardCharsets.UTF_8));

        assertThat(read).isEqualTo(message("{\"a\": \"x\\\"y\"}"));
    }

    @Test
    void readsOldRecordsWithNumericTimestamps() {
        String old = "{\"appId\":\"app_1\",\"messageId\":\"msg_1\",\"eventType\":\"e\",\"payload\":\"{}\",\"timestamp\":1796058000.123000000}";

        assertThat(MessageRecords.decode(old.getBytes(StandardCharsets.UTF_8)).timestamp())
                .isEqualTo(Instant.ofEpochSecond(1796058000L, 123_000_000));
    }

    @Test
    void ignoresFieldsItDoesNotKnow() {
        String newer = "{\"appId\":\"app_1\",\"future\":{\"x\":[1,{\"y\":2}]},\"messageId\":\"msg_1\",\"eventType\":\"e\","
                + "\"timestamp\":\"2026-11-29T17:00:00.123Z\",\"payload\":{\"k\":1},\"after\":true}";

        assertThat(MessageRecords.decode(newer.getBytes(StandardCharsets.UTF_8)).payload()).isEqualTo("{\"k\":1}");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "not json",
        "[1,2]",
        "\"a string\"",
        "{\"appId\":\"app_1\"",
        "{\"messageId\":\"msg_1\",\"eventType\":\"e\",\"timestamp\":\"2026-11-29T17:00:00Z\",\"payload\":{}}",
        "{\"appId\":\"app_1\",\"messageId\":\"msg_1\",\"eventType\":\"e\",\"timestamp\":\"2026-11-29T17:00:00Z\"}",
        "{\"appId\":\"app_1\",\"messageId\":\"msg_1\",\"eventType\":\"e\",\"timestamp\":\"yesterday\",\"payload\":{}}",
        "{\"appId\":\"app_1\",\"messageId\":\"msg_1\",\"eventType\":\"e\",\"timestamp\":\"2026-11-29T17:00:00Z\",\"payload\":[1]}",
        "{\"appId\":7,\"messageId\":\"msg_1\",\"eventType\":\"e\",\"timestamp\":\"2026-11-29T17:00:00Z\",\"payload\":{}}",
        "{\"appId\":\"app_1\",\"messageId\":\"msg_1\",\"eventType\":\"e\",\"channels\":[1],\"timestamp\":\"2026-11-29T17:00:00Z\",\"payload\":{}}",
        "{\"appId\":\"app_1\",\"messageId\":\"msg_1\",\"eventType\":\"e\",\"timestamp\":\"2026-11-29T17:00:00Z\",\"payload\":{}} trailing",
        "{\"appId\":\"app_1\",\"messageId\":\"msg_1\",\"eventType\":\"e\",\"timestamp\":\"2026-11-29T17:00:00Z\",\"payload\":{\"a\":}}",
        "{\"appId\":\"ep_1\",\"messageId\":\"msg_1\",\"eventType\":\"e\",\"timestamp\":\"2026-11-29T17:00:00Z\",\"payload\":{}}",
        "{\"appId\":\"app_1\",\"messageId\":\"1\",\"eventType\":\"e\",\"timestamp\":\"2026-11-29T17:00:00Z\",\"payload\":{}}",
        "{\"appId\":\"app_1\",\"messageId\":\"msg_1\",\"eventType\":\"\",\"timestamp\":\"2026-11-29T17:00:00Z\",\"payload\":{}}",
        "{\"appId\":\"app_1\",\"messageId\":\"msg_1\",\"eventType\":\"e\",\"onlyEndpointId\":\"app_2\",\"timestamp\":\"2026-11-29T17:00:00Z\",\"payload\":{}}"
    })
    void refusesWhatItCannotRead(String record) {
        assertThatThrownBy(() -> MessageRecords.decode(record.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableRecordException.class);
    }

    @Test
    void refusesAnAbsentValue() {
        assertThatThrownBy(() -> MessageRecords.decode(null)).isInstanceOf(UnreadableRecordException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[1]", "{} {}", "{\"a\":", "{\"a\":1}x", "7"})
    void refusesToWriteAPayloadThatIsNotOneJsonObject(String payload) {
        assertThatThrownBy(() -> MessageRecords.encode(message(payload))).isInstanceOf(IllegalArgumentException.class);
    }
}
