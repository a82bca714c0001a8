package io.hookrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookrelay.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

/** What the API accepted reaches Kafka, including what an earlier process left in the outbox. */
class OutboxIT extends IngestIntegrationTest {

    @Autowired
    DatabaseClient db;

    KafkaConsumer<String, byte[]> consumer;
    final List<String> received = new ArrayList<>();

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

    private void poll() {
        consumer.poll(Duration.ofMillis(300)).forEach(record -> received.add(new String(record.value(), StandardCharsets.UTF_8)));
    }
}
