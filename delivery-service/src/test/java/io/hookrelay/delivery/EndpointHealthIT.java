package io.hookrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookrelay.events.Topics;
import io.hookrelay.infra.SharedInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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

/** Endpoints that are gone or keep failing are disabled through an operational event. */
class EndpointHealthIT extends DeliveryIntegrationTest {

    KafkaConsumer<String, byte[]> operational;
    final List<String> events = new ArrayList<>();

    @BeforeEach
    void subscribe() {
        operational = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.get().kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "health-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        operational.subscribe(List.of(Topics.OPERATIONAL));
    }

    @AfterEach
    void close() {
        operational.close();
    }

    @Test
    void disablesAnEndpointThatAnswers410() {
        String endpoint = endpoint(receiver.url("/gone"), null, null, false);

        publish("gone.event", List.of(), "{}");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            poll();
            assertThat(events).anySatisfy(event -> assertThat(event)
                    .contains("\"endpointId\":\"" + endpoint + "\"").contains("\"reason\":\"gone\""));
        });
    }

    @Test
    void disablesAnEndpointThatHasFailedForLongerThanAllowed() {
        String endpoint = endpoint(receiver.url("/fail"), null, null, false);
        db.sql("insert into delivery.endpoint_health (endpoint_id, app_id, failing_since) values (:id, :app,"
                        + " now() - interval '6 days')")
                .bind("id", endpoint).bind("app", appId).then().block();

        publish("still.failing", List.of(), "{}");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            poll();
            assertThat(events).anySatisfy(event -> assertThat(event)
                    .contains("\"endpointId\":\"" + endpoint + "\"").contains("\"reason\":\"failing\""));
        });
    }

    @Test
    void aFailingEndpointIsNotDisabledBeforeItsTime() throws InterruptedException {
        String endpoint = endpoint(receiver.url("/fail"), null, null, false);

        var message = publish("recently.failing", List.of(), "{}");

        await().atMost(Duration.ofSeconds(20)).until(() -> attempts(message).size() == 3);
        poll();
        assertThat(events).noneMatch(event -> event.contains(endpoint));
        assertThat(failingSince(endpoint)).isNotNull();
    }

    @Test
    void aSuccessEndsTheFailingStreak() {
        String endpoint = endpoint(receiver.url("/flaky/1"), null, null, false);

        var message = publish("recovering.event", List.of(), "{}");

        await().atMost(Duration.ofSeconds(20)).until(() -> attempts(message).size() == 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> failingSince(endpoint) == null);
    }

    private Object failingSince(String endpoint) {
        return db.sql("select failing_since from delivery.endpoint_health where endpoint_id = :id").bind("id", endpoint)
                .map(row -> java.util.Optional.ofNullable(row.get("failing_since")))
                .one()
                .blockOptional()
                .flatMap(value -> value)
                .orElse(null);
    }

    private void poll() {
        operational.poll(Duration.ofMillis(200)).forEach(record -> events.add(new String(record.value(), StandardCharsets.UTF_8)));
    }
}
