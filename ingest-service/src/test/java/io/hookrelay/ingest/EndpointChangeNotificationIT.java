package io.hookrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.events.EndpointDisabled;
import io.hookrelay.events.Topics;
import io.hookrelay.infra.PostgresServer;
import io.hookrelay.infra.SharedInfrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every way ingest-service changes an endpoint tells delivery-service which application changed,
 * at commit, on the {@code hookrelay_endpoint_changed} channel (ADR 0009): the test listens as
 * delivery does. Notifications arrive in commit order, so "nothing was sent for A" is proven by
 * receiving B's change, made after A's, first.
 */
class EndpointChangeNotificationIT extends IngestIntegrationTest {

    @Autowired
    JsonMapper json;

    Connection listener;
    final Deque<PGNotification> pending = new ArrayDeque<>();

    @BeforeEach
    void listen() throws SQLException {
        listener = DriverManager.getConnection(
                SharedInfrastructure.get().postgres().jdbcUrl(SharedInfrastructure.DATABASE), PostgresServer.USER, "");
        try (var statement = listener.createStatement()) {
            statement.execute("listen hookrelay_endpoint_changed");
        }
    }

    @AfterEach
    void close() throws SQLException {
        listener.close();
    }

    @Test
    void everyEndpointWriteNotifiesItsApplication() throws Exception {
        String app = createApplication("notify-writes");

        String ep = createEndpoint(app, Map.of("url", "https://example.com/a", "uid", "main"));
        assertNextNotificationIs(app);

        api.put().uri("/api/v1/app/{app}/endpoint/main", app)
                .bodyValue(Map.of("url", "https://example.com/b", "uid", "main"))
                .exchange().expectStatus().isOk();
        assertNextNotificationIs(app);

        api.put().uri("/api/v1/app/{app}/endpoint/second", app)
                .bodyValue(Map.of("url", "https://example.com/second", "uid", "second"))
                .exchange().expectStatus().isCreated();
        assertNextNotificationIs(app);

        api.patch().uri("/api/v1/app/{app}/endpoint/{ep}", app, ep).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"filterTypes\":[\"invoice.paid\"],\"disabled\":true}")
                .exchange().expectStatus().isOk();
        assertNextNotificationIs(app);

        api.put().uri("/api/v1/app/{app}/endpoint/{ep}/headers", app, ep)
                .bodyValue(Map.of("headers", Map.of("X-Tenant", "acme")))
                .exchange().expectStatus().is2xxSuccessful();
        assertNextNotificationIs(app);

        api.patch().uri("/api/v1/app/{app}/endpoint/{ep}/headers", app, ep).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"headers\":{\"X-Region\":\"eu\"}}")
                .exchange().expectStatus().is2xxSuccessful();
        assertNextNotificationIs(app);

        api.post().uri("/api/v1/app/{app}/endpoint/{ep}/secret/rotate", app, ep).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}")
                .exchange().expectStatus().is2xxSuccessful();
        assertNextNotificationIs(app);

        api.delete().uri("/api/v1/app/{app}/endpoint/{ep}", app, ep).exchange().expectStatus().isNoContent();
        assertNextNotificationIs(app);
    }

    @Test
    void deletingAnApplicationNotifiesThroughItsEndpointsCascade() throws Exception {
        String app = createApplication("notify-app-delete");
        createEndpoint(app, Map.of("url", "https://example.com/a"));
        createEndpoint(app, Map.of("url", "https://example.com/b"));
        assertNextNotificationIs(app);
        assertNextNotificationIs(app);

        api.delete().uri("/api/v1/app/{app}", app).exchange().expectStatus().isNoContent();

        assertNextNotificationIs(app);
        String other = createApplication("notify-after-delete");
        createEndpoint(other, Map.of("url", "https://example.com/c"));
        assertThat(nextNotification()).as("one notification per application per transaction").isEqualTo(other);
    }

    @Test
    void anEndpointDisabledByDeliveryNotifiesItsApplication() throws Exception {
        String app = createApplication("notify-disabled");
        String ep = createEndpoint(app, Map.of("url", "https://example.com/gone"));
        assertNextNotificationIs(app);

        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.get().kafka().bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            var event = new EndpointDisabled(app, ep, "gone", "the endpoint answered 410 Gone", Instant.now());
            producer.send(new ProducerRecord<>(Topics.OPERATIONAL, ep, json.writeValueAsBytes(event)))
                    .get(10, TimeUnit.SECONDS);
        }

        assertNextNotificationIs(app);
    }

    @Test
    void readsAndRefusedChangesNotifyNothing() throws Exception {
        String app = createApplication("notify-refused");
        String ep = createEndpoint(app, Map.of("url", "https://example.com/a", "uid", "taken"));
        createEndpoint(app, Map.of("url", "https://example.com/b", "uid", "other"));
        assertNextNotificationIs(app);
        assertNextNotificationIs(app);

        api.get().uri("/api/v1/app/{app}/endpoint/{ep}", app, ep).exchange().expectStatus().isOk();
        api.patch().uri("/api/v1/app/{app}/endpoint/other", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"uid\":\"taken\"}")
                .exchange().expectStatus().isEqualTo(409);
        String other = createApplication("notify-refused-other");
        createEndpoint(other, Map.of("url", "https://example.com/c"));

        assertThat(nextNotification()).isEqualTo(other);
    }

    private String createEndpoint(String app, Map<String, Object> body) {
        return api.post().uri("/api/v1/app/{app}/endpoint", app)
                .bodyValue(body)
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
    }

    private void assertNextNotificationIs(String app) throws SQLException {
        assertThat(nextNotification()).isEqualTo(app);
    }

    /** The payload of the next notification on the channel, waiting up to 20 s for it. */
    private String nextNotification() throws SQLException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (pending.isEmpty() && System.nanoTime() < deadline) {
            PGNotification[] received = listener.unwrap(PGConnection.class).getNotifications(500);
            if (received != null) {
                pending.addAll(Arrays.asList(received));
            }
        }
        PGNotification next = pending.poll();
        assertThat(next).as("an endpoint change notification within 20 s").isNotNull();
        assertThat(next.getName()).isEqualTo("hookrelay_endpoint_changed");
        return next.getParameter();
    }
}
