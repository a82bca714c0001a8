package io.hookrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import io.hookrelay.events.MessageAccepted;
import io.hookrelay.events.PrefixedId;
import io.hookrelay.events.Topics;
import io.hookrelay.infra.Ports;
import io.hookrelay.infra.PostgresServer;
import io.hookrelay.infra.SharedInfrastructure;
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
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * delivery-service against real PostgreSQL, Kafka and HTTP receivers: messages are produced to
 * Kafka as ingest-service would, and the test watches what receivers get and what is recorded.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "hookrelay.delivery.destinations.allow-loopback=true")
class DeliveryFlowIT {

    static final String INTERNAL_TOKEN = "delivery-it-token";
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    static TestReceiver receiver;
    static KafkaProducer<String, byte[]> producer;

    @Autowired
    DatabaseClient db;

    @Autowired
    JsonMapper json;

    @LocalServerPort
    int port;

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

    @Test
    void deliversASignedWebhookThatTheReferenceLibraryVerifies() throws Exception {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);

        MessageAccepted message = publish("invoice.paid", List.of(), "{\"id\":\"in_1\",\"amount\":4200}");

        await().atMost(Duration.ofSeconds(20)).until(() -> !received("/ok", message).isEmpty());
        var request = received("/ok", message).getFirst();
        assertThat(request.body()).isEqualTo("{\"id\":\"in_1\",\"amount\":4200}");
        assertThat(header(request, "webhook-id")).isEqualTo(message.messageId());
        assertThat(header(request, "content-type")).startsWith("application/json");
        assertThat(header(request, "user-agent")).startsWith("HookRelay/");
        new Webhook(SECRET).verify(request.body(), request.headers());

        Map<String, Object> attempt = awaitAttempt(message, endpoint);
        assertThat(attempt).containsEntry("status", (short) 0)
                .containsEntry("response_status_code", (short) 200)
                .containsEntry("response", "thanks from /ok")
                .containsEntry("outcome", "delivered")
                .containsEntry("trigger_type", (short) 0);
    }

    @Test
    void onlyEnabledEndpointsSubscribedToTheMessageReceiveIt() {
        endpoint(receiver.url("/wanted-type"), List.of("order.created"), null, false);
        endpoint(receiver.url("/other-type"), List.of("order.shipped"), null, false);
        endpoint(receiver.url("/disabled"), null, null, true);
        endpoint(receiver.url("/eu-channel"), null, List.of("eu"), false);
        endpoint(receiver.url("/us-channel"), null, List.of("us"), false);

        MessageAccepted message = publish("order.created", List.of("eu"), "{}");

        await().atMost(Duration.ofSeconds(20)).until(() -> attempts(message).size() == 2);
        assertThat(received("/wanted-type", message)).hasSize(1);
        assertThat(received("/eu-channel", message)).hasSize(1);
        assertThat(received("/other-type", message)).isEmpty();
        assertThat(received("/disabled", message)).isEmpty();
        assertThat(received("/us-channel", message)).isEmpty();
    }

    @Test
    void recordsEveryFailedAttemptWithItsClassification() {
        String failing = endpoint(receiver.url("/fail"), null, null, false);
        String gone = endpoint(receiver.url("/gone"), null, null, false);
        String redirect = endpoint(receiver.url("/redirect"), null, null, false);
        String closedPort = endpoint("http://127.0.0.1:" + Ports.freePort() + "/nobody", null, null, false);
        String privateNetwork = endpoint("http://10.255.255.1/hook", null, null, false);
        String metadata = endpoint("http://169.254.169.254/latest/meta-data", null, null, false);

        MessageAccepted message = publish("any.event", List.of(), "{}");

        assertThat(awaitAttempt(message, failing)).containsEntry("outcome", "retryable")
                .containsEntry("response_status_code", (short) 500).containsEntry("status", (short) 2);
        assertThat(awaitAttempt(message, gone)).containsEntry("outcome", "endpoint_gone")
                .containsEntry("response_status_code", (short) 410);
        assertThat(awaitAttempt(message, redirect)).containsEntry("outcome", "failed")
                .containsEntry("response_status_code", (short) 302);
        assertThat(receiver.received("/ok").stream().filter(r -> message.messageId().equals(header(r, "webhook-id"))))
                .as("the redirect is not followed").isEmpty();
        assertThat(awaitAttempt(message, closedPort)).containsEntry("outcome", "retryable")
                .containsEntry("response_status_code", (short) 0);
        assertThat(awaitAttempt(message, privateNetwork)).containsEntry("outcome", "refused")
                .hasEntrySatisfying("response", text -> assertThat((String) text).contains("private"));
        assertThat(awaitAttempt(message, metadata)).containsEntry("outcome", "refused")
                .hasEntrySatisfying("response", text -> assertThat((String) text).contains("cloud metadata"));
    }

    @Test
    void storesOnlyTheFirst4KiBOfAResponse() {
        String endpoint = endpoint(receiver.url("/large"), null, null, false);

        MessageAccepted message = publish("big.answer", List.of(), "{}");

        assertThat((String) awaitAttempt(message, endpoint).get("response")).hasSize(4096);
    }

    @Test
    void listsAttemptsOfAMessageThroughTheApi() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);
        MessageAccepted message = publish("listed.event", List.of(), "{}");
        awaitAttempt(message, endpoint);
        var api = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .defaultHeader("X-HookRelay-Internal-Token", INTERNAL_TOKEN).build();

        api.get().uri("/api/v1/app/{app}/attempt/msg/{msg}", appId, message.messageId()).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.data[0].msgId").isEqualTo(message.messageId())
                .jsonPath("$.data[0].endpointId").isEqualTo(endpoint)
                .jsonPath("$.data[0].responseStatusCode").isEqualTo(200)
                .jsonPath("$.data[0].status").isEqualTo(0)
                .jsonPath("$.data[0].statusText").isEqualTo("success")
                .jsonPath("$.data[0].url").isEqualTo(receiver.url("/ok"))
                .jsonPath("$.data[0].responseDurationMs").isNumber()
                .jsonPath("$.data[0].timestamp").isNotEmpty()
                .jsonPath("$.done").isEqualTo(true);
        api.get().uri("/api/v1/app/app_unknown/attempt/msg/{msg}", message.messageId()).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.detail").isEqualTo("Application not found");
        api.get().uri("/api/v1/app/{app}/attempt/msg/msg_unknown", appId).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.detail").isEqualTo("Message not found");
    }

    private String endpoint(String url, List<String> eventTypes, List<String> channels, boolean disabled) {
        String id = ids.next(PrefixedId.ENDPOINT);
        db.sql("insert into ingest.endpoint (id, app_id, url, event_types, channels, disabled, secret, created_at,"
                        + " updated_at) values (:id, :app, :url, :types, :channels, :disabled, :secret, now(), now())")
                .bind("id", id)
                .bind("app", appId)
                .bind("url", url)
                .bind("types", Parameter.fromOrEmpty(eventTypes == null ? null : eventTypes.toArray(String[]::new), String[].class))
                .bind("channels", Parameter.fromOrEmpty(channels == null ? null : channels.toArray(String[]::new), String[].class))
                .bind("disabled", disabled)
                .bind("secret", SECRET)
                .then()
                .block();
        return id;
    }

    private MessageAccepted publish(String eventType, List<String> channels, String payload) {
        var message = new MessageAccepted(appId, ids.next(PrefixedId.MESSAGE), eventType, null, channels, payload,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        db.sql("insert into ingest.message (id, app_id, event_type, payload, created_at)"
                        + " values (:id, :app, :type, :payload, now())")
                .bind("id", message.messageId()).bind("app", appId).bind("type", eventType).bind("payload", payload)
                .then().block();
        try {
            producer.send(new ProducerRecord<>(Topics.MESSAGES, message.messageId(), json.writeValueAsBytes(message)))
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return message;
    }

    private List<TestReceiver.Received> received(String path, MessageAccepted message) {
        return receiver.received(path).stream()
                .filter(request -> message.messageId().equals(header(request, "webhook-id")))
                .toList();
    }

    private List<Map<String, Object>> attempts(MessageAccepted message) {
        return db.sql("select * from delivery.attempt where msg_id = :msg").bind("msg", message.messageId())
                .fetch().all().collectList().block();
    }

    private Map<String, Object> awaitAttempt(MessageAccepted message, String endpointId) {
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> attempts(message).stream().filter(a -> endpointId.equals(a.get("endpoint_id"))).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
    }

    private static String header(TestReceiver.Received request, String name) {
        return request.headers().entrySet().stream()
                .filter(entry -> entry.getKey().equalsIgnoreCase(name))
                .map(entry -> entry.getValue().getFirst())
                .findFirst()
                .orElse(null);
    }
}
