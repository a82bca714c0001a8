package io.hookrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookrelay.events.MessageAccepted;
import io.hookrelay.events.MessageRecords;
import io.hookrelay.events.Topics;
import io.hookrelay.infra.SharedInfrastructure;
import io.hookrelay.ingest.outbox.OutboxRecord;
import io.hookrelay.support.kafka.KafkaRecordLimits;
import io.hookrelay.support.kafka.TopicSetup;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * No single message stops publishing (issue 11): a message whose record Kafka would refuse is
 * refused at accept, measured on the record; a record in the outbox that Kafka refuses for good
 * is set aside and the ones behind it are published; an operator can re-publish it.
 */
class PoisonMessageIT extends IngestIntegrationTest {

    @Autowired
    DatabaseClient db;

    @Autowired
    MeterRegistry meters;

    @Autowired
    TopicSetup topicSetup;

    KafkaConsumer<String, byte[]> consumer;
    final Map<String, byte[]> published = new HashMap<>();

    @BeforeEach
    void subscribe() {
        consumer = messagesFromTheStart("poison-it-");
    }

    @AfterEach
    void close() {
        consumer.close();
    }

    /** The payload, {"a":["","",…]}: every character a quote or a comma. */
    static String emptyStrings(int count) {
        return "{\"a\":[" + "\"\",".repeat(count - 1) + "\"\"]}";
    }

    /** Empty strings making a record of exactly {@code size} bytes, or the nearest below. */
    static String payloadForRecordOf(int size, String app) {
        int strings = (size - overhead(app) - "{\"a\":[]}".length() + 1) / 3;
        return emptyStrings(strings);
    }

    /** A payload of one long string making a record of exactly {@code size} bytes. */
    static String textForRecordOf(int size, String app) {
        return "{\"a\":\"" + "x".repeat(size - overhead(app) - "{\"a\":\"\"}".length()) + "\"}";
    }

    /**
     * What a message of event type "a" adds to its payload in the record, the trace context header
     * included (every accepted request has one: ADR 0018).
     */
    static int overhead(String app) {
        String id = "msg_2LmZzVuFXv6g5aHlBy2ZTm1OxWn";
        return KafkaRecordLimits.sizeOf(id, MessageRecords.encode(new MessageAccepted(app, id, "a", null, List.of(), "{}",
                java.time.Instant.parse("2026-11-29T17:00:00.123Z"))), TRACE_HEADER) - 2;
    }

    /** A record's trace context header: its size is fixed (W3C traceparent, version 00). */
    static final Header TRACE_HEADER = OutboxRecord.headers("00-" + "1".repeat(32) + "-" + "2".repeat(16) + "-01").getFirst();

    @Test
    void refusesAMessageWhoseRecordWouldExceedTheLimitAndSaysTheLimit() {
        String app = createApplication("poison-too-large");
        String payload = emptyStrings(RECORD_LIMIT / 3 + 10);

        api.post().uri("/api/v1/app/{app}/msg", app)
                .header("content-type", "application/json")
                .bodyValue("{\"eventType\":\"a\",\"payload\":" + payload + "}")
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectBody()
                .jsonPath("$.code").isEqualTo("payload_too_large")
                .jsonPath("$.detail").value(detail -> assertThat(detail.toString())
                        .contains(RECORD_LIMIT + " bytes").contains("hookrelay.kafka.max-record-bytes"));
        assertThat(messageCount(app)).isZero();
    }

    @Test
    void measuresTheRecordNotTheBodyChannelsAndEventIdCount() {
        String app = createApplication("poison-metadata");
        String payload = payloadForRecordOf(RECORD_LIMIT - 100, app);
        String longEventId = "e".repeat(256);
        List<String> channels = List.of("c".repeat(128), "d".repeat(128), "e".repeat(128));

        accept(app, "{\"eventType\":\"a\",\"payload\":" + payload + "}", 202);
        accept(app, "{\"eventType\":\"a\",\"eventId\":\"" + longEventId + "\",\"channels\":[\"" + String.join("\",\"", channels)
                + "\"],\"payload\":" + payload + "}", 413);
    }

    @Test
    void anEscapedRawPayloadIsMeasuredAsTheRecordCarriesIt() {
        String app = createApplication("poison-raw");
        String payload = emptyStrings(12_000);
        String escaped = payload.replace("\"", "\\\"");
        assertThat(escaped.length()).isGreaterThan(RECORD_LIMIT);

        String id = accept(app, "{\"eventType\":\"a\",\"payload\":{},\"transformationsParams\":{\"rawPayload\":\""
                + escaped + "\"}}", 202);

        assertThat(MessageRecords.decode(awaitPublished(id)).payload()).isEqualTo(payload);
    }

    @Test
    void acceptsAPayloadJustUnderTheLimitAndPublishesItByteForByte() {
        String app = createApplication("poison-just-under");
        String payload = payloadForRecordOf(RECORD_LIMIT, app);

        String id = accept(app, "{\"eventType\":\"a\",\"payload\":" + payload + "}", 202);

        byte[] record = awaitPublished(id);
        assertThat(KafkaRecordLimits.sizeOf(id, record, TRACE_HEADER)).isLessThanOrEqualTo(RECORD_LIMIT).isGreaterThan(RECORD_LIMIT - 3);
        assertThat(MessageRecords.decode(record).payload()).isEqualTo(payload);
    }

    @Test
    void aRawPayloadReachesTheRecordExactlyAsStored() {
        String app = createApplication("poison-raw-exact");
        String inner = textForRecordOf(RECORD_LIMIT - 64, app);
        String raw = "  " + inner.substring(0, inner.length() - 1) + ",\"\u00fc\":\"\\u00fc \uD83D\uDC22\"}\n";
        String rawEscaped = raw.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");

        String id = accept(app, "{\"eventType\":\"a\",\"payload\":{},\"transformationsParams\":{\"rawPayload\":\""
                + rawEscaped + "\"}}", 202);

        String stored = db.sql("select payload from ingest.message where id = :id").bind("id", id)
                .map(row -> row.get(0, String.class)).one().block();
        assertThat(stored).isEqualTo(raw);
        assertThat(MessageRecords.decode(awaitPublished(id)).payload().getBytes(StandardCharsets.UTF_8))
                .isEqualTo(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void setsAsideARecordKafkaRefusesAndPublishesTheOnesBehindIt() {
        String poisonKey = "msg_poison_" + UUID.randomUUID();
        double parkedBefore = parkedCount();
        long poisonId = insertOutboxRow(poisonKey, new byte[RECORD_LIMIT + 1024]);
        String app = createApplication("poison-behind");

        String id = accept(app, "{\"eventType\":\"after.poison\",\"payload\":{\"n\":1}}", 202);

        awaitPublished(id);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(parked(poisonId)).containsEntry("record_key", poisonKey);
            assertThat(parked(poisonId).get("error").toString()).contains("RecordTooLargeException");
        });
        assertThat(outboxRows(poisonKey)).isZero();
        assertThat(parkedCount()).isEqualTo(parkedBefore + 1);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(meters.get("hookrelay.outbox.parked.rows").gauge().value()).isGreaterThanOrEqualTo(1));
    }

    @Test
    void anOperatorRepublishesAParkedRecord() {
        String key = "msg_parked_" + UUID.randomUUID();
        byte[] value = ("{\"parked\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8);
        long id = 900_000_000L + (long) (Math.random() * 1_000_000);
        db.sql("insert into ingest.outbox_parked (id, topic, record_key, payload, created_at, error)"
                        + " values (:id, :topic, :key, :payload, now(), 'RecordTooLargeException: before the limit was raised')")
                .bind("id", id).bind("topic", Topics.MESSAGES).bind("key", key).bind("payload", value)
                .then().block();

        Long moved = db.sql("select ingest.republish_parked(:id)").bind("id", id)
                .map(row -> row.get(0, Long.class)).one().block();

        assertThat(moved).isEqualTo(1);
        assertThat(awaitPublished(key)).isEqualTo(value);
        assertThat(db.sql("select count(*) from ingest.outbox_parked where id = :id").bind("id", id)
                .map(row -> row.get(0, Long.class)).one().block()).isZero();
    }

    @Test
    void setsTheMessagesTopicLimitAtStartAndCorrectsOneLeftTooSmall() throws Exception {
        var topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.MESSAGES);
        try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedInfrastructure.get().kafka().bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> maxMessageBytes(admin, topic) == RECORD_LIMIT + KafkaRecordLimits.HEADROOM);
            admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1000"), AlterConfigOp.OpType.SET)))).all().get();
            assertThat(maxMessageBytes(admin, topic)).isEqualTo(1000);

            topicSetup.stop();
            topicSetup.start();

            await().atMost(Duration.ofSeconds(20)).until(() -> maxMessageBytes(admin, topic) == RECORD_LIMIT + KafkaRecordLimits.HEADROOM);
        }
    }

    private static int maxMessageBytes(Admin admin, ConfigResource topic) throws Exception {
        return Integer.parseInt(admin.describeConfigs(List.of(topic)).all().get().get(topic)
                .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value());
    }

    private String accept(String app, String body, int status) {
        var answer = api.post().uri("/api/v1/app/{app}/msg", app)
                .header("content-type", "application/json")
                .bodyValue(body)
                .exchange()
                .expectStatus().isEqualTo(status)
                .expectBody(Map.class).returnResult().getResponseBody();
        return status == 202 ? answer.get("id").toString() : null;
    }

    private byte[] awaitPublished(String key) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> {
            consumer.poll(Duration.ofMillis(300)).forEach(record -> published.put(record.key(), record.value()));
            return published.get(key);
        }, value -> value != null);
    }

    private long insertOutboxRow(String key, byte[] value) {
        return db.sql("insert into ingest.outbox (topic, record_key, payload) values (:topic, :key, :payload) returning id")
                .bind("topic", Topics.MESSAGES).bind("key", key).bind("payload", value)
                .map(row -> row.get(0, Long.class)).one().block();
    }

    private Map<String, Object> parked(long id) {
        return db.sql("select * from ingest.outbox_parked where id = :id").bind("id", id).fetch().one().block();
    }

    private long outboxRows(String key) {
        return db.sql("select count(*) from ingest.outbox where record_key = :key").bind("key", key)
                .map(row -> row.get(0, Long.class)).one().block();
    }

    private long messageCount(String app) {
        return db.sql("select count(*) from ingest.message where app_id = :app").bind("app", app)
                .map(row -> row.get(0, Long.class)).one().block();
    }

    private double parkedCount() {
        var counters = meters.find("hookrelay.outbox.parked").counters();
        return counters.stream().mapToDouble(counter -> counter.count()).sum();
    }
}
