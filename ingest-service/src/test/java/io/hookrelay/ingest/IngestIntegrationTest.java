package io.hookrelay.ingest;

import io.hookrelay.infra.SharedInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Base of ingest-service's integration tests: the service on a random port against the JVM's
 * shared real PostgreSQL and Kafka; one Spring context for all subclasses.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class IngestIntegrationTest {

    static final String INTERNAL_TOKEN = "test-internal-token";
    static final int RECORD_LIMIT = 48 * 1024;
    static final String TEST_SECRETS_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    @LocalServerPort
    int port;

    WebTestClient api;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        var infra = SharedInfrastructure.get();
        registry.add("hookrelay.database.port", infra.postgres()::port);
        registry.add("hookrelay.database.name", () -> SharedInfrastructure.DATABASE);
        registry.add("hookrelay.kafka.bootstrap-servers", infra.kafka()::bootstrapServers);
        registry.add("hookrelay.internal-token", () -> INTERNAL_TOKEN);
        registry.add("hookrelay.ingest.max-request-bytes", () -> "64KB");
        // Below the body limit, so a body the service reads can still make a record too large.
        registry.add("hookrelay.kafka.max-record-bytes", () -> RECORD_LIMIT + "B");
        registry.add("hookrelay.secrets.encryption-key", () -> TEST_SECRETS_KEY);
        // The retention tests run the sweeps themselves, at a time they choose.
        registry.add("hookrelay.ingest.retention.every", () -> "1h");
    }

    @BeforeEach
    void client() {
        api = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port)
                .defaultHeader("X-HookRelay-Internal-Token", INTERNAL_TOKEN)
                // what the gateway says for an organisation token; tests of application scope override it
                .defaultHeader("X-HookRelay-Scope", "org")
                .build();
    }

    /** A consumer of the messages topic from its start, in a group of its own. */
    static org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> messagesFromTheStart(String groupPrefix) {
        var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(java.util.Map.of(
                org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedInfrastructure.get().kafka().bootstrapServers(),
                org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG, groupPrefix + java.util.UUID.randomUUID(),
                org.apache.kafka.clients.consumer.ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer());
        consumer.subscribe(java.util.List.of(io.hookrelay.events.Topics.MESSAGES));
        return consumer;
    }

    String createApplication(String name) {
        return api.post().uri("/api/v1/app")
                .bodyValue(java.util.Map.of("name", name))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(java.util.Map.class)
                .returnResult()
                .getResponseBody()
                .get("id")
                .toString();
    }
}
