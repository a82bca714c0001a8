package io.hookrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

/**
 * Accepted records are published from memory (ADR 0012) while the relay's poll runs as fast as it
 * can and takes rows of any age: the poll leaves alone what the in-memory path is publishing, so
 * every record reaches Kafka exactly once and the outbox ends empty.
 */
@TestPropertySource(properties = {"hookrelay.outbox.poll-min-age=0s", "hookrelay.outbox.poll-interval=5ms"})
class OutboxInMemoryIT extends IngestIntegrationTest {

    static final int MESSAGES = 200;

    @Autowired
    DatabaseClient db;

    @Test
    void theInMemoryPathAndThePollDoNotBothPublishARecord() {
        String app = createApplication("outbox-in-memory");
        WebClient client = WebClient.builder()
                .baseUrl("http://127.0.0.1:" + port)
                .defaultHeader("X-HookRelay-Internal-Token", INTERNAL_TOKEN)
                .defaultHeader("X-HookRelay-Scope", "org")
                .build();
        List<String> ids = Flux.range(0, MESSAGES)
                .flatMap(i -> client.post().uri("/api/v1/app/{app}/msg", app)
                        .bodyValue(Map.of("eventType", "order.paid", "payload", Map.of("n", i)))
                        .retrieve().bodyToMono(Map.class).map(body -> body.get("id").toString()), 32)
                .collectList().block();

        var published = new HashMap<String, Integer>();
        try (KafkaConsumer<String, byte[]> consumer = messagesFromTheStart("outbox-in-memory-")) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(300)).forEach(record -> published.merge(record.key(), 1, Integer::sum));
                assertThat(published.keySet()).containsAll(ids);
            });
            // Whatever else arrives late would be a duplicate.
            consumer.poll(Duration.ofSeconds(2)).forEach(record -> published.merge(record.key(), 1, Integer::sum));
        }

        assertThat(ids).allSatisfy(id -> assertThat(published.get(id)).as("times %s was published", id).isEqualTo(1));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(db.sql(
                        "select count(*) from ingest.outbox o join ingest.message m on m.id = o.record_key where m.app_id = :app")
                .bind("app", app).map(row -> row.get(0, Long.class)).one().block()).isZero());
    }
}
