package io.hookrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import io.hookrelay.delivery.ssrf.StubHostResolver;
import io.hookrelay.events.MessageAccepted;
import io.hookrelay.events.MessageRecords;
import io.hookrelay.events.PrefixedId;
import io.hookrelay.events.Topics;
import io.hookrelay.infra.Ports;
import io.hookrelay.infra.PostgresServer;
import io.hookrelay.infra.SharedInfrastructure;
import io.hookrelay.support.secrets.SecretCipher;
import io.hookrelay.support.secrets.StoredFields;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of delivery-service's integration tests: the service against the JVM's shared real
 * PostgreSQL and Kafka and a real HTTP receiver; messages are produced to Kafka as ingest-service
 * would. One Spring context (one consumer group member) for all subclasses, with a compressed
 * retry schedule (200 ms, then 400 ms, no jitter), at most 2 requests in flight per endpoint, 16
 * per process and 6 per application. Destination names are answered by a {@link StubHostResolver}
 * (IP literals as themselves, no other name exists unless a test says so): no DNS query leaves.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "hookrelay.delivery.destinations.allow-loopback=true",
            "hookrelay.delivery.retry.delays=200ms,400ms",
            "hookrelay.delivery.retry.jitter=0",
            "hookrelay.delivery.retry-polling.interval=50ms",
            "hookrelay.delivery.isolation.max-concurrent-per-endpoint=2",
            "hookrelay.delivery.isolation.busy-delay=300ms",
            "hookrelay.delivery.endpoint-cache.reconnect-min-backoff=100ms",
            "hookrelay.delivery.destinations.resolve-timeout=500ms",
            "hookrelay.delivery.max-in-flight=16",
            "hookrelay.delivery.max-in-flight-per-application=6",
            "hookrelay.secrets.encryption-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
        })
@Import(StubDns.class)
abstract class DeliveryIntegrationTest {

    static final String INTERNAL_TOKEN = "delivery-it-token";
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    static TestReceiver receiver;
    static KafkaProducer<String, byte[]> producer;

    @Autowired
    DatabaseClient db;

    @Autowired
    JsonMapper json;

    @Autowired
    SecretCipher secrets;

    @LocalServerPort
    int port;

    @Autowired
    StubHostResolver dns;

    final PrefixedId ids = new PrefixedId();
    String appId;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        var infra = SharedInfrastructure.get();
        migrateIngestSchema(infra.postgres());
        registry.add("hookrelay.database.port", infra.postgres()::port);
        registry.add("hookrelay.database.name", () -> SharedInfrastructure.DATABASE);
        registry.add("hookrelay.kafka.bootstrap-servers", infra.kafka()::bootstrapServers);
        registry.add("hookrelay.internal-token", () -> INTERNAL_TOKEN);
        // The retention tests run the sweep themselves, at a time they choose.
        registry.add("hookrelay.delivery.retention.every", () -> "1h");
    }

    /** The tables ingest-service owns and delivery-service reads, from ingest-service's own migrations. */
    static void migrateIngestSchema(PostgresServer postgres) {
        Flyway.configure()
                .dataSource(postgres.jdbcUrl(SharedInfrastructure.DATABASE), PostgresServer.USER, "")
                .schemas("ingest")
                .defaultSchema("ingest")
                .locations("filesystem:../ingest-service/src/main/resources/db/migration")
                .load()
                .migrate();
    }

    @BeforeAll
    static void start() {
        receiver = new TestReceiver();
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.get().kafka().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        receiver.close();
        producer.close();
    }

    @BeforeEach
    void application() {
        appId = ids.next(PrefixedId.APPLICATION);
        db.sql("insert into ingest.application (id, name, created_at, updated_at) values (:id, 'test', now(), now())")
                .bind("id", appId).then().block();
    }

    String endpoint(String url, List<String> eventTypes, List<String> channels, boolean disabled) {
        String id = ids.next(PrefixedId.ENDPOINT);
        db.sql("insert into ingest.endpoint (id, app_id, url, event_types, channels, disabled, secret, created_at,"
                        + " updated_at) values (:id, :app, :url, :types, :channels, :disabled, :secret, now(), now())")
                .bind("id", id)
                .bind("app", appId)
                .bind("url", url)
                .bind("types", Parameter.fromOrEmpty(eventTypes == null ? null : eventTypes.toArray(String[]::new), String[].class))
                .bind("channels", Parameter.fromOrEmpty(channels == null ? null : channels.toArray(String[]::new), String[].class))
                .bind("disabled", disabled)
                .bind("secret", secrets.seal(SECRET, StoredFields.endpointSecret(id)))
                .then()
                .block();
        return id;
    }

    /** Stores an endpoint's secret, previous secret (signing for an hour) or custom headers as ingest-service does. */
    void storeSecret(String endpointId, String secret) {
        db.sql("update ingest.endpoint set secret = :secret where id = :id")
                .bind("secret", secrets.seal(secret, StoredFields.endpointSecret(endpointId))).bind("id", endpointId)
                .then().block();
    }

    void storePreviousSecret(String endpointId, String previous, String interval) {
        db.sql("update ingest.endpoint set previous_secret = :previous, previous_secret_expires_at = now() + cast(:interval as interval)"
                        + " where id = :id")
                .bind("previous", secrets.seal(previous, StoredFields.endpointPreviousSecret(endpointId)))
                .bind("interval", interval)
                .bind("id", endpointId)
                .then().block();
    }

    void storeHeaders(String endpointId, Map<String, String> headers) {
        db.sql("update ingest.endpoint set headers = :headers where id = :id")
                .bind("headers", secrets.seal(json.writeValueAsString(headers), StoredFields.endpointHeaders(endpointId)))
                .bind("id", endpointId)
                .then().block();
    }

    MessageAccepted publish(String eventType, List<String> channels, String payload) {
        return publish(new MessageAccepted(appId, ids.next(PrefixedId.MESSAGE), eventType, null, channels, payload,
                Instant.now().truncatedTo(ChronoUnit.MILLIS)));
    }

    /** Stores the message as ingest-service would and produces its record. */
    MessageAccepted publish(MessageAccepted message) {
        store(message);
        produce(message.messageId(), MessageRecords.encode(message));
        return message;
    }

    /** Stores the message as ingest-service does, without producing anything. */
    void store(MessageAccepted message) {
        db.sql("insert into ingest.message (id, app_id, event_type, channels, payload, created_at)"
                        + " values (:id, :app, :type, :channels, :payload, now())")
                .bind("id", message.messageId()).bind("app", message.appId()).bind("type", message.eventType())
                .bind("channels", Parameter.fromOrEmpty(message.channels().isEmpty() ? null
                        : message.channels().toArray(String[]::new), String[].class))
                .bind("payload", message.payload())
                .then().block();
    }

    void produce(String key, byte[] record) {
        produce(new ProducerRecord<>(Topics.MESSAGES, key, record));
    }

    void produce(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client of this service's API as the gateway calls it (its credential, organisation scope). */
    WebTestClient apiClient() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .defaultHeader("X-HookRelay-Internal-Token", INTERNAL_TOKEN).defaultHeader("X-HookRelay-Scope", "org").build();
    }

    List<TestReceiver.Received> received(String path, MessageAccepted message) {
        return receiver.received(path).stream()
                .filter(request -> message.messageId().equals(header(request, "webhook-id")))
                .toList();
    }

    List<Map<String, Object>> attempts(MessageAccepted message) {
        return db.sql("select * from delivery.attempt where msg_id = :msg").bind("msg", message.messageId())
                .fetch().all().collectList().block();
    }

    Map<String, Object> awaitAttempt(MessageAccepted message, String endpointId) {
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> attempts(message).stream().filter(a -> endpointId.equals(a.get("endpoint_id"))).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
    }

    static String header(TestReceiver.Received request, String name) {
        return request.headers().entrySet().stream()
                .filter(entry -> entry.getKey().equalsIgnoreCase(name))
                .map(entry -> entry.getValue().getFirst())
                .findFirst()
                .orElse(null);
    }
}
