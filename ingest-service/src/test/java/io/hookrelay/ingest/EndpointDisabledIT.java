package io.hookrelay.ingest;

import static org.awaitility.Awaitility.await;

import io.hookrelay.events.EndpointDisabled;
import io.hookrelay.events.Topics;
import io.hookrelay.infra.SharedInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.json.JsonMapper;

/** delivery-service's decision to disable an endpoint reaches the endpoint. */
class EndpointDisabledIT extends IngestIntegrationTest {

    @Autowired
    JsonMapper json;

    @Test
    void disablesTheEndpointNamedByAnOperationalEvent() throws Exception {
        String app = createApplication("operational");
        String endpoint = api.post().uri("/api/v1/app/{app}/endpoint", app)
                .bodyValue(Map.of("url", "https://example.com/gone"))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();

        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.get().kafka().bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            var event = new EndpointDisabled(app, endpoint, "gone", "the endpoint answered 410 Gone", Instant.now());
            producer.send(new ProducerRecord<>(Topics.OPERATIONAL, endpoint, json.writeValueAsBytes(event)))
                    .get(10, TimeUnit.SECONDS);
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> api.get()
                .uri("/api/v1/app/{app}/endpoint/{ep}", app, endpoint).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.disabled").isEqualTo(true));
    }
}
