package io.hookrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Svix's send-example: a message with the event type's example payload, published for the one
 * endpoint named in the path (delivery-service then offers it to no other endpoint).
 */
class SendExampleIT extends IngestIntegrationTest {

    @Autowired
    DatabaseClient db;

    @Autowired
    JsonMapper json;

    KafkaConsumer<String, byte[]> consumer;
    final List<JsonNode> published = new ArrayList<>();

    @BeforeEach
    void subscribe() {
        consumer = messagesFromTheStart("send-example-it-");
    }

    @AfterEach
    void close() {
        consumer.close();
    }

    @Test
    void sendsThePingExampleAsAMessageForThatEndpointOnly() {
        String app = createApplication("send-example");
        createEndpoint(app, "https://example.com/first");
        String second = createEndpoint(app, "https://example.com/second");

        var message = sendExample(app, second, Map.of("eventType", "svix.ping"), null);

        assertThat(message).containsEntry("eventType", "svix.ping").containsEntry("payload", Map.of("success", true));
        assertThat(message.get("id").toString()).startsWith("msg_");
        JsonNode record = awaitRecord(message.get("id").toString());
        assertThat(record.get("onlyEndpointId").asString()).isEqualTo(second);
        assertThat(record.get("appId").asString()).isEqualTo(app);
        assertThat(record.get("payload").toString()).isEqualTo("{\"success\":true}");
        api.get().uri("/api/v1/app/{app}/msg/{msg}", app, message.get("id")).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.payload.success").isEqualTo(true);
    }

    @Test
    void sendsTheExampleFromTheEventTypesVersion1Schema() {
        String app = createApplication("send-example-schema");
        String endpoint = createEndpoint(app, "https://example.com/hook");
        String eventType = "invoice.paid." + UUID.randomUUID().toString().substring(0, 8);
        createEventType(eventType, Map.of("1", Map.of("type", "object",
                "examples", List.of(Map.of("invoiceId", "inv_1"), Map.of("invoiceId", "inv_2")))));

        var first = sendExample(app, endpoint, Map.of("eventType", eventType), null);
        var second = sendExample(app, endpoint, Map.of("eventType", eventType, "exampleIndex", 1), null);

        assertThat(first).containsEntry("eventType", eventType).containsEntry("payload", Map.of("invoiceId", "inv_1"));
        assertThat(second).containsEntry("payload", Map.of("invoiceId", "inv_2"));
        assertThat(first.get("id")).isNotEqualTo(second.get("id"));
    }

    @Test
    void answersLikeTheSvixServerWhenThereIsNoExampleToSend() {
        String app = createApplication("send-example-errors");
        String endpoint = createEndpoint(app, "https://example.com/hook");
        String withoutExamples = "no.examples." + UUID.randomUUID().toString().substring(0, 8);
        createEventType(withoutExamples, Map.of("1", Map.of("type", "object")));
        String unknown = "never.created." + UUID.randomUUID().toString().substring(0, 8);

        post(app, endpoint, Map.of("eventType", unknown)).expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("not_found").jsonPath("$.detail").isEqualTo("Event type not found");
        post(app, endpoint, Map.of("eventType", withoutExamples)).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("invalid_scheme");
        post(app, endpoint, Map.of("eventType", withoutExamples, "exampleIndex", 3)).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("invalid_scheme");
        post(app, "ep_missing", Map.of("eventType", "svix.ping")).expectStatus().isNotFound()
                .expectBody().jsonPath("$.detail").isEqualTo("Endpoint not found");
        post("app_missing", endpoint, Map.of("eventType", "svix.ping")).expectStatus().isNotFound()
                .expectBody().jsonPath("$.detail").isEqualTo("Application not found");
        post(app, endpoint, Map.of("eventType", "not a name")).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.detail[0].loc[1]").isEqualTo("eventType");
        post(app, endpoint, Map.of()).expectStatus().isEqualTo(422);
        assertThat(db.sql("select count(*) from ingest.message where app_id = :app").bind("app", app)
                .map(row -> row.get(0, Long.class)).one().block()).isZero();
    }

    @Test
    void aRepeatedIdempotencyKeyReturnsTheSameMessageAndCreatesNothingNew() {
        String app = createApplication("send-example-idempotent");
        String endpoint = createEndpoint(app, "https://example.com/hook");
        String key = UUID.randomUUID().toString();

        var first = sendExample(app, endpoint, Map.of("eventType", "svix.ping"), key);
        var again = api.post().uri("/api/v1/app/{app}/endpoint/{ep}/send-example", app, endpoint)
                .header("idempotency-key", key)
                .bodyValue(Map.of("eventType", "svix.ping"))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("idempotent-replayed", "true")
                .expectBody(Map.class).returnResult().getResponseBody();

        assertThat(again).isEqualTo(first);
        assertThat(db.sql("select count(*) from ingest.message where app_id = :app").bind("app", app)
                .map(row -> row.get(0, Long.class)).one().block()).isEqualTo(1);
    }

    private String createEndpoint(String app, String url) {
        return api.post().uri("/api/v1/app/{app}/endpoint", app)
                .bodyValue(Map.of("url", url))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
    }

    private void createEventType(String name, Map<String, Object> schemas) {
        api.post().uri("/api/v1/event-type")
                .bodyValue(Map.of("name", name, "description", "for send-example", "schemas", schemas))
                .exchange().expectStatus().isCreated();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> sendExample(String app, String endpoint, Map<String, Object> body, String key) {
        var request = api.post().uri("/api/v1/app/{app}/endpoint/{ep}/send-example", app, endpoint);
        if (key != null) {
            request = request.header("idempotency-key", key);
        }
        return request.bodyValue(body).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec post(
            String app, String endpoint, Map<String, Object> body) {
        return api.post().uri("/api/v1/app/{app}/endpoint/{ep}/send-example", app, endpoint).bodyValue(body).exchange();
    }

    private JsonNode awaitRecord(String messageId) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> {
            consumer.poll(Duration.ofMillis(300)).forEach(
                    record -> published.add(json.readTree(new String(record.value(), StandardCharsets.UTF_8))));
            return published.stream().filter(node -> messageId.equals(node.path("messageId").asString())).findFirst();
        }, java.util.Optional::isPresent).orElseThrow();
    }
}
