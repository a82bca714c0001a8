package io.hookrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookrelay.events.Topics;
import io.hookrelay.infra.SharedInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The durable retry schedule (compressed to 200 ms, 400 ms) and dead letters. */
class RetryIT extends DeliveryIntegrationTest {

    KafkaConsumer<String, byte[]> deadLetters;
    final List<String> deadLetterValues = new ArrayList<>();

    @BeforeEach
    void subscribeToDeadLetters() {
        deadLetters = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.get().kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "retry-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        deadLetters.subscribe(List.of(Topics.DEAD_LETTERS));
    }

    @AfterEach
    void close() {
        deadLetters.close();
    }

    @Test
    void retriesAFailingReceiverUntilItRecoversKeepingToTheSchedule() {
        String endpoint = endpoint(receiver.url("/flaky/2"), null, null, false);

        var message = publish("flaky.event", List.of(), "{}");

        await().atMost(Duration.ofSeconds(20)).until(() -> attemptsTo(message.messageId(), endpoint).size() == 3);
        var attempts = attemptsTo(message.messageId(), endpoint);
        assertThat(attempts).extracting(a -> a.get("response_status_code")).containsExactly((short) 503, (short) 503, (short) 200);
        assertThat(attempts).extracting(a -> a.get("status")).containsExactly((short) 2, (short) 2, (short) 0);
        assertThat(gap(attempts, 0, 1)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(gap(attempts, 1, 2)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(pendingRows(message.messageId())).isZero();
        assertThat(receiver.received("/flaky/2")).filteredOn(r -> message.messageId().equals(header(r, "webhook-id")))
                .hasSize(3)
                .extracting(TestReceiver.Received::body)
                .containsOnly("{}");
    }

    @Test
    void givesUpAfterTheLastAttemptAndPublishesADeadLetter() {
        String endpoint = endpoint(receiver.url("/fail"), null, null, false);

        var message = publish("doomed.event", List.of(), "{}");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            pollDeadLetters();
            assertThat(deadLetterValues).anySatisfy(value -> assertThat(value)
                    .contains("\"messageId\":\"" + message.messageId() + "\"")
                    .contains("\"endpointId\":\"" + endpoint + "\"")
                    .contains("\"attempts\":3")
                    .contains("\"outcome\":\"retryable\"")
                    .contains("\"reason\":\"HTTP 500\""));
        });
        assertThat(attemptsTo(message.messageId(), endpoint)).hasSize(3);
        await().atMost(Duration.ofSeconds(5)).until(() -> pendingRows(message.messageId()) == 0);
    }

    @Test
    void doesNotRetryAPermanentFailure() throws InterruptedException {
        String endpoint = endpoint(receiver.url("/bad"), null, null, false);

        var message = publish("rejected.event", List.of(), "{}");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            pollDeadLetters();
            assertThat(deadLetterValues).anySatisfy(value -> assertThat(value)
                    .contains(message.messageId()).contains("\"outcome\":\"failed\"").contains("\"attempts\":1"));
        });
        Thread.sleep(1000);
        assertThat(attemptsTo(message.messageId(), endpoint)).hasSize(1);
    }

    @Test
    void honoursRetryAfterOverAShorterScheduledDelay() {
        String endpoint = endpoint(receiver.url("/throttled"), null, null, false);

        var message = publish("throttled.event", List.of(), "{}");

        await().atMost(Duration.ofSeconds(20)).until(() -> attemptsTo(message.messageId(), endpoint).size() == 2);
        var attempts = attemptsTo(message.messageId(), endpoint);
        assertThat(attempts.getFirst().get("response_status_code")).isEqualTo((short) 429);
        assertThat(gap(attempts, 0, 1)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void makesRetriesThatAnEarlierProcessScheduled() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);
        var message = storeWithoutPublishing("left.behind", "{\"left\":true}");

        db.sql("insert into delivery.pending_delivery (msg_id, endpoint_id, app_id, attempts, state, due_at, last_outcome,"
                        + " last_reason, updated_at) values (:msg, :ep, :app, 1, 'scheduled', now(), 'retryable', 'HTTP 503', now())")
                .bind("msg", message).bind("ep", endpoint).bind("app", appId)
                .then().block();

        await().atMost(Duration.ofSeconds(20)).until(() -> attemptsTo(message, endpoint).size() == 1);
        assertThat(attemptsTo(message, endpoint).getFirst()).containsEntry("status", (short) 0);
        assertThat(pendingRows(message)).isZero();
    }

    private String storeWithoutPublishing(String eventType, String payload) {
        String id = ids.next(io.hookrelay.events.PrefixedId.MESSAGE);
        db.sql("insert into ingest.message (id, app_id, event_type, payload, created_at) values (:id, :app, :type, :payload, now())")
                .bind("id", id).bind("app", appId).bind("type", eventType).bind("payload", payload)
                .then().block();
        return id;
    }

    private List<Map<String, Object>> attemptsTo(String messageId, String endpointId) {
        return db.sql("select * from delivery.attempt where msg_id = :msg and endpoint_id = :ep order by created_at, id")
                .bind("msg", messageId).bind("ep", endpointId)
                .fetch().all().collectList().block();
    }

    private long pendingRows(String messageId) {
        return db.sql("select count(*) from delivery.pending_delivery where msg_id = :msg").bind("msg", messageId)
                .map(row -> row.get(0, Long.class)).one().block();
    }

    private static Duration gap(List<Map<String, Object>> attempts, int from, int to) {
        return Duration.between(instant(attempts.get(from)), instant(attempts.get(to)));
    }

    private static Instant instant(Map<String, Object> attempt) {
        Object value = attempt.get("created_at");
        return value instanceof java.time.OffsetDateTime time ? time.toInstant() : (Instant) value;
    }

    private void pollDeadLetters() {
        deadLetters.poll(Duration.ofMillis(200))
                .forEach(record -> deadLetterValues.add(new String(record.value(), StandardCharsets.UTF_8)));
    }
}
