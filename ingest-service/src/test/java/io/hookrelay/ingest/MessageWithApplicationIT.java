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
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Svix's {@code MessageIn.application}: a message to an application that does not exist yet
 * creates it, when the body brings it and its uid is the one in the path; ignored otherwise.
 */
class MessageWithApplicationIT extends IngestIntegrationTest {

    @Autowired
    DatabaseClient db;

    @Autowired
    JsonMapper json;

    KafkaConsumer<String, byte[]> consumer;
    final List<JsonNode> published = new ArrayList<>();

    @BeforeEach
    void subscribe() {
        consumer = messagesFromTheStart("message-with-application-it-");
    }

    @AfterEach
    void close() {
        consumer.close();
    }

    @Test
    void createsTheApplicationOfThePathAlongsideTheMessage() {
        String uid = "customer-" + UUID.randomUUID();
        var application = Map.of("name", "Customer", "uid", uid, "metadata", Map.of("tier", "gold"), "throttleRate", 7);

        var message = send(uid, Map.of("eventType", "user.signup", "payload", Map.of("n", 1), "application", application))
                .expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody();

        var created = api.get().uri("/api/v1/app/{uid}", uid).exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(created.get("id").toString()).startsWith("app_");
        assertThat(created).containsEntry("name", "Customer").containsEntry("uid", uid)
                .containsEntry("metadata", Map.of("tier", "gold")).containsEntry("throttleRate", 7);
        JsonNode record = awaitRecord(message.get("id").toString());
        assertThat(record.get("appId").asString()).isEqualTo(created.get("id"));
        api.get().uri("/api/v1/app/{app}/msg/{msg}", created.get("id"), message.get("id")).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.payload.n").isEqualTo(1);
    }

    @Test
    void ignoresTheApplicationWhenThePathNamesOneThatExists() {
        String app = createApplication("Original");
        String replacement = "Replacement " + UUID.randomUUID();

        send(app, Map.of("eventType", "user.signup", "payload", Map.of(),
                        "application", Map.of("name", replacement, "uid", "other-" + UUID.randomUUID())))
                .expectStatus().isAccepted();

        api.get().uri("/api/v1/app/{app}", app).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.name").isEqualTo("Original").jsonPath("$.uid").doesNotExist();
        assertThat(applicationsNamed(replacement)).isZero();
    }

    @Test
    void anApplicationScopedCallerCannotCreateTheApplication() {
        String uid = "scoped-" + UUID.randomUUID();

        api.post().uri("/api/v1/app/{uid}/msg", uid)
                .header("X-HookRelay-Scope", "app:app_deletedOne")
                .bodyValue(Map.of("eventType", "user.signup", "payload", Map.of(),
                        "application", Map.of("name", "Back again", "uid", uid)))
                .exchange()
                .expectStatus().isNotFound();

        api.get().uri("/api/v1/app/{uid}", uid).exchange().expectStatus().isNotFound();
    }

    @Test
    void anUnknownApplicationWithoutOneInTheBodyIsStillNotFound() {
        String uid = "absent-" + UUID.randomUUID();

        send(uid, Map.of("eventType", "user.signup", "payload", Map.of()))
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.detail").isEqualTo("Application not found");

        api.get().uri("/api/v1/app/{uid}", uid).exchange().expectStatus().isNotFound();
    }

    @Test
    void refusesAnApplicationThatCouldNotBeCreatedAndCreatesNothing() {
        String uid = "refused-" + UUID.randomUUID();

        send(uid, Map.of("eventType", "user.signup", "payload", Map.of(), "application", Map.of("name", "No uid")))
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.detail[0].loc[1]").isEqualTo("application.uid")
                .jsonPath("$.detail[0].msg").isEqualTo("Application UID not set in body");
        send(uid, Map.of("eventType", "user.signup", "payload", Map.of(),
                        "application", Map.of("name", "Mismatch", "uid", "someone-else")))
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.detail[0].msg").isEqualTo("Application UID in the path and body must match");
        send(uid, Map.of("eventType", "user.signup", "payload", Map.of(), "application", Map.of("name", "", "uid", uid)))
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.detail[0].loc[1]").isEqualTo("application.name");
        send(uid, Map.of("eventType", "user.signup", "payload", Map.of(),
                        "application", Map.of("name", "Too fast", "uid", uid, "throttleRate", 0)))
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.detail[0].loc[1]").isEqualTo("application.throttleRate");

        api.get().uri("/api/v1/app/{uid}", uid).exchange().expectStatus().isNotFound();
        assertThat(db.sql("select count(*) from ingest.application where uid in ('someone-else', :uid)").bind("uid", uid)
                .map(row -> row.get(0, Long.class)).one().block()).isZero();
    }

    @Test
    void messagesCreatingTheSameApplicationAtOnceAllLandInOneApplication() {
        String uid = "concurrent-" + UUID.randomUUID();
        var client = WebClient.builder().baseUrl("http://127.0.0.1:" + port)
                .defaultHeader("X-HookRelay-Internal-Token", INTERNAL_TOKEN).defaultHeader("X-HookRelay-Scope", "org").build();
        var body = Map.of("eventType", "user.signup", "payload", Map.of(), "application", Map.of("name", "Raced", "uid", uid));

        var statuses = Flux.range(0, 8)
                .flatMap(i -> client.post().uri("/api/v1/app/{uid}/msg", uid).bodyValue(body)
                        .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value())), 8)
                .collectList()
                .block(Duration.ofSeconds(30));

        assertThat(statuses).hasSize(8).containsOnly(202);
        assertThat(applicationsNamed("Raced", uid)).isEqualTo(1);
        assertThat(db.sql("select count(*) from ingest.message m join ingest.application a on a.id = m.app_id"
                        + " where a.uid = :uid").bind("uid", uid)
                .map(row -> row.get(0, Long.class)).one().block()).isEqualTo(8);
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec send(String app, Map<String, ?> body) {
        return api.post().uri("/api/v1/app/{app}/msg", app).bodyValue(body).exchange();
    }

    private long applicationsNamed(String name) {
        return db.sql("select count(*) from ingest.application where name = :name").bind("name", name)
                .map(row -> row.get(0, Long.class)).one().block();
    }

    private long applicationsNamed(String name, String uid) {
        return db.sql("select count(*) from ingest.application where name = :name and uid = :uid")
                .bind("name", name).bind("uid", uid)
                .map(row -> row.get(0, Long.class)).one().block();
    }

    private JsonNode awaitRecord(String messageId) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> {
            consumer.poll(Duration.ofMillis(300)).forEach(
                    record -> published.add(json.readTree(new String(record.value(), StandardCharsets.UTF_8))));
            return published.stream().filter(node -> messageId.equals(node.path("messageId").asString())).findFirst();
        }, java.util.Optional::isPresent).orElseThrow();
    }
}
