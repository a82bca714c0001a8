package io.hookrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.infra.SharedInfrastructure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * PostgreSQL stalls under a message creation: the client gets a 503 with {@code Retry-After}
 * within the accept deadline (2 s, the default), told the message may have been accepted, and a
 * retry with the same idempotency-key is answered the first message, stored once. The service
 * reaches the shared PostgreSQL through a {@link StallingProxy} of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AcceptDeadlineIT {

    /** Written out, not taken from the code: the gateway's answer says the same (its ConnectionLostIT). */
    static final String MAY_HAVE_BEEN_ACCEPTED = "The request may have been accepted: its outcome is unknown. "
            + "Retry it with the same idempotency-key, which makes the retry safe (the first outcome is answered again)";
    /**
     * The 2 s deadline plus room for a machine shared with other builds; without the deadline the
     * request waits for PostgreSQL, here until the client's own 30 s time-out.
     */
    static final Duration ANSWERED_WITHIN = Duration.ofSeconds(6);

    static final StallingProxy database = newProxy(SharedInfrastructure.get().postgres().port());
    /** Kafka as the service sees it stays stalled throughout: no accept may wait on it (the outbox). */
    static final StallingProxy kafka = stalled(newProxy(kafkaPort()));

    @LocalServerPort
    int port;

    WebTestClient api;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        var infra = SharedInfrastructure.get();
        registry.add("hookrelay.database.port", database::port);
        registry.add("hookrelay.database.name", () -> SharedInfrastructure.DATABASE);
        registry.add("hookrelay.kafka.bootstrap-servers", () -> "127.0.0.1:" + kafka.port());
        registry.add("hookrelay.internal-token", () -> IngestIntegrationTest.INTERNAL_TOKEN);
        registry.add("hookrelay.secrets.encryption-key", () -> IngestIntegrationTest.TEST_SECRETS_KEY);
    }

    @BeforeEach
    void client() {
        api = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(30))
                .defaultHeader("X-HookRelay-Internal-Token", IngestIntegrationTest.INTERNAL_TOKEN)
                .defaultHeader("X-HookRelay-Scope", "org")
                .build();
    }

    @AfterEach
    void resume() {
        database.resume();
    }

    @AfterAll
    static void stop() throws Exception {
        database.close();
        kafka.close();
    }

    @Test
    void aMessageWhoseCommitStallsIsA503WithinTheDeadlineAndItsRetryWithTheSameKeyGetsTheSameMessage() {
        String app = createApplication();
        String marker = "stall-" + UUID.randomUUID();
        database.stallAfterSending(marker);

        long start = System.nanoTime();
        var first = create(app, marker, "key-" + marker);
        Duration answeredIn = Duration.ofNanos(System.nanoTime() - start);

        first.expectStatus().isEqualTo(503).expectHeader().valueEquals("Retry-After", "1");
        assertThat(detail(first)).isEqualTo(MAY_HAVE_BEEN_ACCEPTED);
        assertThat(database.stalled()).as("the insert was sent, its answer is held").isTrue();
        assertThat(answeredIn).isBetween(Duration.ofMillis(1900), ANSWERED_WITHIN);
        System.out.printf("AcceptDeadlineIT: 503 after %d ms with the insert sent and PostgreSQL stalled%n", answeredIn.toMillis());

        database.resume();
        String retried = retryUntilAccepted(app, marker, "key-" + marker);

        assertThat(messagesCarrying(app, marker)).containsExactly(retried);
    }

    @Test
    void aMessageCreationWhilePostgresqlIsStalledIsA503WithinTheDeadline() {
        String app = createApplication();
        database.stall();

        long start = System.nanoTime();
        var answer = create(app, "no-key", null);
        Duration answeredIn = Duration.ofNanos(System.nanoTime() - start);

        answer.expectStatus().isEqualTo(503).expectHeader().valueEquals("Retry-After", "1");
        assertThat(detail(answer)).isEqualTo(MAY_HAVE_BEEN_ACCEPTED);
        assertThat(answeredIn).isBetween(Duration.ofMillis(1900), ANSWERED_WITHIN);
        System.out.printf("AcceptDeadlineIT: 503 after %d ms with PostgreSQL stalled before the request%n", answeredIn.toMillis());
    }

    /** Send-example creates a message too: the same bound, where it used to wait up to the gateway's 30 s. */
    @Test
    void aSendExampleWhilePostgresqlIsStalledIsA503WithinTheDeadline() {
        String app = createApplication();
        String endpoint = (String) api.post().uri("/api/v1/app/{app}/endpoint", app)
                .bodyValue(Map.of("url", "https://example.com/webhooks"))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        database.stall();

        long start = System.nanoTime();
        var answer = api.post().uri("/api/v1/app/{app}/endpoint/{endpoint}/send-example", app, endpoint)
                .header("idempotency-key", "example-" + UUID.randomUUID())
                .bodyValue(Map.of("eventType", "order.created"))
                .exchange();
        Duration answeredIn = Duration.ofNanos(System.nanoTime() - start);

        answer.expectStatus().isEqualTo(503).expectHeader().valueEquals("Retry-After", "1");
        assertThat(detail(answer)).isEqualTo(MAY_HAVE_BEEN_ACCEPTED);
        assertThat(answeredIn).isBetween(Duration.ofMillis(1900), ANSWERED_WITHIN);
        System.out.printf("AcceptDeadlineIT: send-example 503 after %d ms with PostgreSQL stalled%n", answeredIn.toMillis());
    }

    /**
     * Had an accept waited on Kafka (stalled throughout here), it would have met the deadline
     * and been answered 503: every 202 says it did not wait.
     */
    @Test
    void messagesAreAcceptedWhileKafkaIsStalled() {
        String app = createApplication();
        // the first accept of a JVM loads classes and opens connections: seconds on a busy machine
        retryUntilAccepted(app, "warm-up", "warm-up-" + UUID.randomUUID());

        long slowest = 0;
        for (int i = 0; i < 10; i++) {
            long start = System.nanoTime();
            create(app, "kafka-stalled-" + i, null).expectStatus().isAccepted();
            slowest = Math.max(slowest, System.nanoTime() - start);
        }

        assertThat(kafka.stalled()).isTrue();
        System.out.printf("AcceptDeadlineIT: 10 messages accepted with Kafka stalled, slowest in %d ms%n", slowest / 1_000_000);
    }

    /** As a client does: again with the same key while the answer is a 503 that may have been accepted. */
    @SuppressWarnings("unchecked")
    private String retryUntilAccepted(String app, String marker, String key) {
        for (int attempt = 1; attempt <= 10; attempt++) {
            var answer = create(app, marker, key).expectBody(Map.class).returnResult();
            if (answer.getStatus().value() == 202) {
                return (String) answer.getResponseBody().get("id");
            }
            assertThat(answer.getStatus().value()).as("attempt %d", attempt).isEqualTo(503);
            assertThat(answer.getResponseBody().get("detail")).isEqualTo(MAY_HAVE_BEEN_ACCEPTED);
            sleep(Duration.ofMillis(500));
        }
        throw new AssertionError("no 202 in 10 attempts");
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private WebTestClient.ResponseSpec create(String app, String marker, String key) {
        var request = api.post().uri("/api/v1/app/{app}/msg", app);
        if (key != null) {
            request = request.header("idempotency-key", key);
        }
        return request.bodyValue(Map.of("eventType", "order.created", "payload", Map.of("marker", marker))).exchange();
    }

    @SuppressWarnings("unchecked")
    private List<String> messagesCarrying(String app, String marker) {
        Map<String, Object> page = api.get().uri("/api/v1/app/{app}/msg?limit=250", app).exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return ((List<Map<String, Object>>) page.get("data")).stream()
                .filter(message -> marker.equals(((Map<String, Object>) message.get("payload")).get("marker")))
                .map(message -> (String) message.get("id"))
                .toList();
    }

    private String createApplication() {
        return (String) api.post().uri("/api/v1/app")
                .bodyValue(Map.of("name", "deadline-" + UUID.randomUUID()))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
    }

    @SuppressWarnings("unchecked")
    private static String detail(WebTestClient.ResponseSpec answer) {
        return (String) answer.expectBody(Map.class).returnResult().getResponseBody().get("detail");
    }

    private static int kafkaPort() {
        String servers = SharedInfrastructure.get().kafka().bootstrapServers();
        return Integer.parseInt(servers.substring(servers.lastIndexOf(':') + 1));
    }

    private static StallingProxy stalled(StallingProxy proxy) {
        proxy.stall();
        return proxy;
    }

    private static StallingProxy newProxy(int target) {
        try {
            return new StallingProxy(target);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
