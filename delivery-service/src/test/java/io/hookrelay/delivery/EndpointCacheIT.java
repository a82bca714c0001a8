package io.hookrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import io.hookrelay.events.MessageAccepted;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * delivery-service keeps applications' endpoints in memory and reads them again only when
 * ingest-service changes one: changes are made here as ingest makes them, by writing
 * {@code ingest.endpoint} in a transaction (ingest's own trigger, from its migrations, sends the
 * notification at commit), and the very next message must see them.
 */
class EndpointCacheIT extends DeliveryIntegrationTest {

    static final String ROTATED_SECRET = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void listening() {
        await().atMost(Duration.ofSeconds(20)).until(() -> listeningGauge() == 1.0);
    }

    @Test
    void furtherMessagesToAWarmApplicationReadNoEndpointsFromTheDatabase() {
        endpoint(receiver.url("/warm"), null, null, false);
        awaitReceived("/warm", publish("warm.up", List.of(), "{}"));
        double loadsBefore = counter("hookrelay.delivery.endpoints.loads");
        double hitsBefore = counter("hookrelay.delivery.endpoints.cache.hits");

        List<MessageAccepted> messages = IntStream.range(0, 20)
                .mapToObj(i -> publish("warm.next", List.of(), "{\"n\":" + i + "}"))
                .toList();

        messages.forEach(message -> awaitReceived("/warm", message));
        assertThat(counter("hookrelay.delivery.endpoints.loads")).isEqualTo(loadsBefore);
        assertThat(counter("hookrelay.delivery.endpoints.cache.hits") - hitsBefore).isGreaterThanOrEqualTo(20);
    }

    @Test
    void aChangedUrlReceivesTheNextMessage() {
        String endpoint = endpoint(receiver.url("/before-move"), null, null, false);
        awaitReceived("/before-move", publish("move.first", List.of(), "{}"));

        update("update ingest.endpoint set url = '" + receiver.url("/after-move") + "' where id = :id", endpoint);
        MessageAccepted next = publish("move.next", List.of(), "{}");

        awaitReceived("/after-move", next);
        assertThat(received("/before-move", next)).isEmpty();
    }

    @Test
    void aDisabledEndpointReceivesNothingFromTheNextMessage() {
        String disabled = endpoint(receiver.url("/to-disable"), null, null, false);
        String control = endpoint(receiver.url("/stays-enabled"), null, null, false);
        MessageAccepted first = publish("disable.first", List.of(), "{}");
        awaitReceived("/to-disable", first);
        awaitReceived("/stays-enabled", first);

        update("update ingest.endpoint set disabled = true where id = :id", disabled);
        MessageAccepted next = publish("disable.next", List.of(), "{}");

        awaitReceived("/stays-enabled", next);
        awaitAttempt(next, control);
        assertThat(attempts(next)).extracting(attempt -> attempt.get("endpoint_id")).containsExactly(control);
        assertThat(received("/to-disable", next)).isEmpty();
    }

    @Test
    void aRotatedSecretSignsTheNextMessage() throws Exception {
        String endpoint = endpoint(receiver.url("/rotating"), null, null, false);
        awaitReceived("/rotating", publish("rotate.first", List.of(), "{}"));

        // as ingest's rotation does: the replaced secret is sealed again for previous_secret
        storePreviousSecret(endpoint, SECRET, "1 hour");
        storeSecret(endpoint, ROTATED_SECRET);
        MessageAccepted next = publish("rotate.next", List.of(), "{\"r\":2}");

        var request = awaitReceived("/rotating", next);
        assertThat(header(request, "webhook-signature").split(" ")).hasSize(2);
        new Webhook(ROTATED_SECRET).verify(request.body(), request.headers());
        new Webhook(SECRET).verify(request.body(), request.headers());
    }

    @Test
    void aChangedFilterAppliesToTheNextMessage() {
        String filtered = endpoint(receiver.url("/filtered"), List.of("order.created"), null, false);
        String control = endpoint(receiver.url("/everything"), null, null, false);
        awaitReceived("/filtered", publish("order.created", List.of(), "{}"));

        update("update ingest.endpoint set event_types = array['order.shipped'] where id = :id", filtered);
        MessageAccepted created = publish("order.created", List.of(), "{}");
        MessageAccepted shipped = publish("order.shipped", List.of(), "{}");

        awaitReceived("/filtered", shipped);
        awaitAttempt(created, control);
        assertThat(attempts(created)).extracting(attempt -> attempt.get("endpoint_id")).containsExactly(control);
        assertThat(received("/filtered", created)).isEmpty();
    }

    @Test
    void aRetryGoesToTheUrlTheEndpointHasNow() {
        String endpoint = endpoint(receiver.url("/fail"), null, null, false);
        MessageAccepted message = publish("retry.moved", List.of(), "{}");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
                .until(() -> !received("/fail", message).isEmpty());

        update("update ingest.endpoint set url = '" + receiver.url("/retry-moved") + "' where id = :id", endpoint);

        awaitReceived("/retry-moved", message);
    }

    @Test
    void aLostListenConnectionEmptiesTheCacheAndChangesAreStillSeenAfterReconnecting() {
        String endpoint = endpoint(receiver.url("/before-loss"), null, null, false);
        awaitReceived("/before-loss", publish("loss.first", List.of(), "{}"));
        double failuresBefore = counter("hookrelay.delivery.endpoints.listen.failures");

        Long terminated = db.sql("select count(pg_terminate_backend(pid)) as n from pg_stat_activity"
                        + " where application_name = 'hookrelay-delivery-endpoint-listener'")
                .map(row -> row.get("n", Long.class)).one().block();

        assertThat(terminated).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> counter("hookrelay.delivery.endpoints.listen.failures") > failuresBefore);
        await().atMost(Duration.ofSeconds(10)).until(() -> listeningGauge() == 1.0);
        double loadsAfterReconnect = counter("hookrelay.delivery.endpoints.loads");
        awaitReceived("/before-loss", publish("loss.second", List.of(), "{}"));
        assertThat(counter("hookrelay.delivery.endpoints.loads")).isGreaterThan(loadsAfterReconnect);

        update("update ingest.endpoint set url = '" + receiver.url("/after-loss") + "' where id = :id", endpoint);
        MessageAccepted next = publish("loss.next", List.of(), "{}");

        awaitReceived("/after-loss", next);
        assertThat(received("/before-loss", next)).isEmpty();
    }

    private void update(String sql, String endpointId) {
        db.sql(sql).bind("id", endpointId).then().block();
    }

    private TestReceiver.Received awaitReceived(String path, MessageAccepted message) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !received(path, message).isEmpty());
        return received(path, message).getFirst();
    }

    private double counter(String name) {
        return meters.counter(name).count();
    }

    private double listeningGauge() {
        return meters.get("hookrelay.delivery.endpoints.listening").gauge().value();
    }
}
