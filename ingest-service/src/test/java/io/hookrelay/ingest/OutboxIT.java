package io.hookrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookrelay.events.Topics;
import io.hookrelay.ingest.outbox.Outbox;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;

/** What the API accepted reaches Kafka, including what an earlier process left in the outbox. */
class OutboxIT extends IngestIntegrationTest {

    private static final String GATEWAY_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String GATEWAY_TRACEPARENT = "00-" + GATEWAY_TRACE_ID + "-00f067aa0ba902b7-01";

    @Autowired
    DatabaseClient db;

    @Autowired
    Outbox outbox;

    @Autowired
    TransactionalOperator transactions;

    KafkaConsumer<String, byte[]> consumer;
    final List<String> received = new ArrayList<>();
    final Map<String, String> traceparents = new HashMap<>();

    @BeforeEach
    void subscribe() {
        consumer = messagesFromTheStart("outbox-it-");
    }

    @AfterEach
    void close() {
        consumer.close();
    }

    @Test
    void publishesAnAcceptedMessageToKafka() {
        String app = createApplication("outbox");

        String id = api.post().uri("/api/v1/app/{app}/msg", app)
                .bodyValue(Map.of("eventType", "user.created", "payload", Map.of("user", 7)))
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            poll();
            assertThat(received).anySatisfy(value -> assertThat(value)
                    .contains("\"messageId\":\"" + id + "\"")
                    .contains("\"appId\":\"" + app + "\"")
                    .contains("\"eventType\":\"user.created\""));
        });
        assertThat(db.sql("select count(*) from ingest.outbox where record_key = :id").bind("id", id)
                .map(row -> row.get(0, Long.class)).one().block()).isZero();
    }

    /**
     * The batch statement binds all payloads as one text and splits it in SQL: JSON records of
     * different lengths, non-ASCII, escapes and an empty one come back byte for byte. In a
     * transaction rolled back at the end, so nothing is ever published.
     */
    @Test
    void storesABatchOfJsonRecordsByteForByte() {
        assertStoredAsGiven(List.of(
                "{\"a\":\"\\\"quoted\\\" caf\u00e9 \u2713 \\u001e\"}".getBytes(StandardCharsets.UTF_8),
                new byte[0],
                "{}".getBytes(StandardCharsets.UTF_8),
                ("{\"long\":\"" + "x".repeat(5000) + "\"}").getBytes(StandardCharsets.UTF_8)));
    }

    /** Bytes that are not UTF-8 text cannot be joined: such a batch goes one record at a time, intact. */
    @Test
    void storesABatchWithRecordsThatAreNotTextByteForByte() {
        byte[] everyByte = new byte[256];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        assertStoredAsGiven(List.of("{}".getBytes(StandardCharsets.UTF_8), everyByte, new byte[] {0, 0x1e, (byte) 0xff}));
    }

    private void assertStoredAsGiven(List<byte[]> payloads) {
        var entries = new ArrayList<Outbox.Entry>();
        for (int i = 0; i < payloads.size(); i++) {
            entries.add(new Outbox.Entry(Topics.MESSAGES, "joined-" + UUID.randomUUID(), payloads.get(i), null));
        }

        List<byte[]> stored = transactions.execute(status -> {
                    status.setRollbackOnly();
                    return outbox.appendAll(entries).flatMapMany(records -> Flux.fromIterable(records)
                            .concatMap(record -> db.sql("select payload from ingest.outbox where id = :id")
                                    .bind("id", record.id())
                                    .map(row -> bytes(row.get(0, ByteBuffer.class)))
                                    .one()));
                })
                .collectList().block();

        assertThat(stored).hasSize(payloads.size());
        for (int i = 0; i < payloads.size(); i++) {
            assertThat(stored.get(i)).as("record %d", i).isEqualTo(payloads.get(i));
        }
        assertThat(db.sql("select count(*) from ingest.outbox where record_key like 'joined-%'")
                .map(row -> row.get(0, Long.class)).one().block()).isZero();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    @Test
    void publishesRecordsLeftInTheOutboxByAProcessThatDiedBeforeRelaying() {
        String key = "msg_left_behind_" + UUID.randomUUID();

        db.sql("insert into ingest.outbox (topic, record_key, payload) values (:topic, :key, :payload)")
                .bind("topic", Topics.MESSAGES)
                .bind("key", key)
                .bind("payload", ("{\"messageId\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8))
                .then().block();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            poll();
            assertThat(received).anySatisfy(value -> assertThat(value).contains(key));
        });
    }

    @Test
    void carriesTheRequestsTraceToKafkaInTheTraceparentHeader() {
        String app = createApplication("outbox-trace");

        String id = api.post().uri("/api/v1/app/{app}/msg", app)
                .header("traceparent", GATEWAY_TRACEPARENT)
                .bodyValue(Map.of("eventType", "user.created", "payload", Map.of("user", 8)))
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            poll();
            assertThat(traceparents).containsKey(id);
        });
        // the same trace, now with ingest's request span as the parent
        assertThat(traceparents.get(id)).matches("00-" + GATEWAY_TRACE_ID + "-[0-9a-f]{16}-01")
                .isNotEqualTo(GATEWAY_TRACEPARENT);
    }

    @Test
    void startsATraceForARequestWithoutOne() {
        String app = createApplication("outbox-untraced");

        String id = api.post().uri("/api/v1/app/{app}/msg", app)
                .bodyValue(Map.of("eventType", "user.created", "payload", Map.of("user", 9)))
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            poll();
            assertThat(traceparents).containsKey(id);
        });
        assertThat(traceparents.get(id)).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]").doesNotContain(GATEWAY_TRACE_ID);
    }

    /** A row written before a restart keeps its trace: the relay sends the stored value as it is. */
    @Test
    void relaysTheTraceparentStoredWithARowLeftBehind() {
        String key = "msg_traced_left_behind_" + UUID.randomUUID();

        db.sql("insert into ingest.outbox (topic, record_key, payload, traceparent) values (:topic, :key, :payload, :traceparent)")
                .bind("topic", Topics.MESSAGES)
                .bind("key", key)
                .bind("payload", ("{\"messageId\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8))
                .bind("traceparent", GATEWAY_TRACEPARENT)
                .then().block();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            poll();
            assertThat(traceparents).containsEntry(key, GATEWAY_TRACEPARENT);
        });
    }

    private void poll() {
        consumer.poll(Duration.ofMillis(300)).forEach(record -> {
            received.add(new String(record.value(), StandardCharsets.UTF_8));
            var header = record.headers().lastHeader("traceparent");
            if (header != null) {
                traceparents.put(record.key(), new String(header.value(), StandardCharsets.US_ASCII));
            }
        });
    }
}
