package io.hookrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookrelay.events.MessageAccepted;
import io.hookrelay.events.PrefixedId;
import io.hookrelay.events.Topics;
import io.hookrelay.infra.SharedInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A record delivery-service can never process goes to the messages dead-letter topic, with the
 * reason, and the records behind it are delivered; a failure that time cures is retried, never
 * dead-lettered; records written in the format before ADR 0010 are still delivered byte for byte.
 */
class MessageDeadLetterIT extends DeliveryIntegrationTest {

    @Autowired
    MeterRegistry meters;

    KafkaConsumer<String, byte[]> deadLetters;
    final Map<String, ConsumerRecord<String, byte[]>> deadLettered = new ConcurrentHashMap<>();

    @BeforeEach
    void subscribe() {
        deadLetters = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.get().kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlt-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        deadLetters.subscribe(List.of(Topics.MESSAGES_DEAD_LETTERS));
    }

    @AfterEach
    void close() {
        deadLetters.close();
    }

    @Test
    void movesUnreadableRecordsToTheDeadLetterTopicAndDeliversTheNextOne() {
        endpoint(receiver.url("/after-garbage"), null, null, false);
        double before = deadLetteredCount();
        var garbage = Map.of(
                "garbage-not-json-" + UUID.randomUUID(), "not json at all {",
                "garbage-array-" + UUID.randomUUID(), "[1,2,3]",
                "garbage-no-payload-" + UUID.randomUUID(), "{\"appId\":\"" + appId + "\",\"messageId\":\"msg_x\","
                        + "\"eventType\":\"e\",\"timestamp\":\"2026-11-29T17:00:00Z\"}",
                "garbage-not-an-app-" + UUID.randomUUID(), "{\"appId\":\"../../etc\",\"messageId\":\"msg_x\","
                        + "\"eventType\":\"e\",\"timestamp\":\"2026-11-29T17:00:00Z\",\"payload\":{}}");
        garbage.forEach((key, value) -> produce(key, value.getBytes(StandardCharsets.UTF_8)));
        String emptyKey = "garbage-empty-" + UUID.randomUUID();
        produce(emptyKey, new byte[0]);

        MessageAccepted next = publish("after.garbage", List.of(), "{\"still\":\"delivered\"}");

        await().atMost(Duration.ofSeconds(20)).until(() -> !received("/after-garbage", next).isEmpty());
        assertThat(received("/after-garbage", next).getFirst().body()).isEqualTo("{\"still\":\"delivered\"}");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            poll();
            assertThat(deadLettered).containsKeys(garbage.keySet().toArray(String[]::new)).containsKey(emptyKey);
        });
        garbage.forEach((key, value) -> {
            var record = deadLettered.get(key);
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo(value);
            assertThat(header(record, "hookrelay-dlt-original-topic")).isEqualTo(Topics.MESSAGES);
            assertThat(header(record, "hookrelay-dlt-original-offset")).isNotNull();
            assertThat(header(record, "hookrelay-dlt-original-partition")).isNotNull();
            assertThat(header(record, "hookrelay-dlt-reason")).isNotBlank();
        });
        assertThat(header(deadLettered.get(garbage.keySet().stream().filter(k -> k.startsWith("garbage-no-payload"))
                .findFirst().orElseThrow()), "hookrelay-dlt-reason")).isEqualTo("'payload' is missing");
        assertThat(deadLetteredCount()).isEqualTo(before + garbage.size() + 1);
        assertThat(deadLettered).doesNotContainKey(next.messageId());
    }

    @Test
    void aFailureTimeCuresIsRetriedNotDeadLettered() throws Exception {
        endpoint(receiver.url("/after-outage"), null, null, false);
        MessageAccepted message = new MessageAccepted(appId, ids.next(PrefixedId.MESSAGE), "during.outage", null,
                List.of(), "{\"outage\":true}", Instant.now().truncatedTo(ChronoUnit.MILLIS));
        store(message);
        db.sql("alter table delivery.pending_delivery rename to pending_delivery_away").then().block();
        try {
            produce(message.messageId(), io.hookrelay.events.MessageRecords.encode(message));
            Thread.sleep(3000);
            poll();
            assertThat(deadLettered).doesNotContainKey(message.messageId());
            assertThat(received("/after-outage", message)).isEmpty();
        } finally {
            db.sql("alter table delivery.pending_delivery_away rename to pending_delivery").then().block();
        }

        await().atMost(Duration.ofSeconds(40)).until(() -> !received("/after-outage", message).isEmpty());
        poll();
        assertThat(deadLettered).doesNotContainKey(message.messageId());
    }

    @Test
    void deliversARecordWrittenInTheOldFormatByteForByte() {
        endpoint(receiver.url("/old-format"), null, null, false);
        String payload = "{\"quote\":\"say \\\"hi\\\"\",\"ü\":\"\\u00fc 🐢\", \"spaced\" : [ ] }";
        MessageAccepted message = new MessageAccepted(appId, ids.next(PrefixedId.MESSAGE), "old.format", null,
                List.of(), payload, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        store(message);

        produce(message.messageId(), json.writeValueAsBytes(message));

        await().atMost(Duration.ofSeconds(20)).until(() -> !received("/old-format", message).isEmpty());
        assertThat(received("/old-format", message).getFirst().body().getBytes(StandardCharsets.UTF_8))
                .isEqualTo(payload.getBytes(StandardCharsets.UTF_8));
        assertThat(new String(json.writeValueAsBytes(message), StandardCharsets.UTF_8)).contains("\"payload\":\"{\\\"quote");
    }

    private void poll() {
        deadLetters.poll(Duration.ofMillis(500)).forEach(record -> deadLettered.put(record.key(), record));
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private double deadLetteredCount() {
        var counter = meters.find("hookrelay.delivery.messages.dead-lettered").counter();
        return counter == null ? 0 : counter.count();
    }
}
