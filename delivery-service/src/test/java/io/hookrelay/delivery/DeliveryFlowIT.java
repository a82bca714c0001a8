package io.hookrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import io.hookrelay.events.MessageAccepted;
import io.hookrelay.events.MessageRecords;
import io.hookrelay.events.PrefixedId;
import io.hookrelay.events.Topics;
import io.hookrelay.infra.Ports;
import io.hookrelay.infra.PostgresServer;
import io.hookrelay.infra.SharedInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
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

/** One message through delivery-service: filters, signing, classification, SSRF refusal, listing. */
class DeliveryFlowIT extends DeliveryIntegrationTest {

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

    /** The record's traceparent (ingest's span) is the attempt's trace; the receiver is not told it. */
    @Test
    void recordsTheTraceOfTheConsumedRecordOnTheAttemptAndKeepsItFromTheReceiver() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String endpoint = endpoint(receiver.url("/traced"), null, null, false);
        var message = new MessageAccepted(appId, ids.next(PrefixedId.MESSAGE), "invoice.paid", null, List.of(), "{}",
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        store(message);

        produce(new ProducerRecord<>(Topics.MESSAGES, null, message.messageId(), MessageRecords.encode(message),
                List.of(new RecordHeader("traceparent", ("00-" + traceId + "-00f067aa0ba902b7-01").getBytes(StandardCharsets.US_ASCII)))));

        assertThat(awaitAttempt(message, endpoint)).containsEntry("trace_id", traceId);
        assertThat(header(received("/traced", message).getFirst(), "traceparent")).isNull();
    }

    @Test
    void givesAnAttemptOfARecordWithoutTraceparentATraceOfItsOwn() {
        String endpoint = endpoint(receiver.url("/untraced"), null, null, false);

        MessageAccepted message = publish("invoice.paid", List.of(), "{}");

        assertThat((String) awaitAttempt(message, endpoint).get("trace_id")).matches("[0-9a-f]{32}")
                .isNotEqualTo("0".repeat(32));
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
    void aMessageForOneEndpointReachesThatEndpointAndNoOther() throws Exception {
        String first = endpoint(receiver.url("/first"), null, null, false);
        String second = endpoint(receiver.url("/second"), null, null, false);

        MessageAccepted message = publish(new MessageAccepted(appId, ids.next(PrefixedId.MESSAGE), "svix.ping", null,
                List.of(), "{\"success\":true}", Instant.now().truncatedTo(ChronoUnit.MILLIS), second));

        awaitAttempt(message, second);
        // Fan-out records every endpoint it owes in one statement before the first attempt.
        assertThat(attempts(message)).extracting(a -> a.get("endpoint_id")).containsExactly(second);
        assertThat(owedTo(message)).doesNotContain(first);
        var request = received("/second", message).getFirst();
        assertThat(request.body()).isEqualTo("{\"success\":true}");
        new Webhook(SECRET).verify(request.body(), request.headers());
        assertThat(received("/first", message)).isEmpty();
    }

    @Test
    void aRecordWrittenBeforeSingleEndpointMessagesExistedStillReachesEveryEndpoint() {
        endpoint(receiver.url("/legacy-a"), null, null, false);
        endpoint(receiver.url("/legacy-b"), null, null, false);
        MessageAccepted message = new MessageAccepted(appId, ids.next(PrefixedId.MESSAGE), "legacy.event", null,
                List.of(), "{}", Instant.now().truncatedTo(ChronoUnit.MILLIS));
        db.sql("insert into ingest.message (id, app_id, event_type, payload, created_at) values (:id, :app,"
                        + " 'legacy.event', '{}', now())")
                .bind("id", message.messageId()).bind("app", appId).then().block();

        produce(message.messageId(), ("{\"appId\":\"" + appId + "\",\"messageId\":\"" + message.messageId()
                + "\",\"eventType\":\"legacy.event\",\"eventId\":null,\"channels\":[],\"payload\":\"{}\","
                + "\"timestamp\":\"" + message.timestamp() + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(20)).until(() -> attempts(message).size() == 2);
        assertThat(received("/legacy-a", message)).hasSize(1);
        assertThat(received("/legacy-b", message)).hasSize(1);
    }

    /**
     * Kafka hands a consumer group everything since its last committed offset again, after a crash
     * or after the broker expelled the consumer (it was frozen, or its session ran out): a delivery
     * that ended before its record came again, delivered or given up on, is not made a second time.
     */
    @Test
    void aRecordConsumedAgainAfterItsDeliveriesEndedReachesNoEndpointASecondTime() {
        String delivered = endpoint(receiver.url("/again-ok"), null, null, false);
        String refused = endpoint(receiver.url("/redirect"), null, null, false);
        MessageAccepted message = publish("invoice.paid", List.of(), "{\"n\":1}");
        assertThat(awaitAttempt(message, delivered)).containsEntry("outcome", "delivered");
        assertThat(awaitAttempt(message, refused)).containsEntry("outcome", "failed");
        await().atMost(Duration.ofSeconds(30)).until(() -> owedTo(message).isEmpty());

        produce(message.messageId(), MessageRecords.encode(message));
        // the same key, so the same partition: consumed after the copy
        MessageAccepted after = new MessageAccepted(appId, ids.next(PrefixedId.MESSAGE), "invoice.paid", null, List.of(),
                "{\"n\":2}", Instant.now().truncatedTo(ChronoUnit.MILLIS));
        store(after);
        produce(message.messageId(), MessageRecords.encode(after));
        awaitAttempt(after, delivered);
        awaitAttempt(after, refused);

        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                received("/again-ok", message).size() == 1 && received("/redirect", message).size() == 1
                        && attempts(message).size() == 2 && owedTo(message).isEmpty());
    }

    private List<Object> owedTo(MessageAccepted message) {
        return db.sql("select endpoint_id from delivery.pending_delivery where msg_id = :msg")
                .bind("msg", message.messageId()).map(row -> (Object) row.get("endpoint_id", String.class)).all()
                .collectList().block();
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
                .hasEntrySatisfying("response", text -> assertThat((String) text)
                        .isEqualTo("destination refused: resolves to a private address (SSRF protection)"));
        assertThat(awaitAttempt(message, metadata)).containsEntry("outcome", "refused")
                .hasEntrySatisfying("response", text -> assertThat((String) text).contains("cloud metadata"));
    }

    @Test
    void storesOnlyTheFirst4KiBOfAResponse() {
        String endpoint = endpoint(receiver.url("/large"), null, null, false);

        MessageAccepted message = publish("big.answer", List.of(), "{}");

        assertThat((String) awaitAttempt(message, endpoint).get("response")).hasSize(4096);
    }

    /**
     * PostgreSQL stores no NUL in text: a receiver answering with NUL bytes (the campaign's 32 MiB
     * body is zeros) made the statement fail for every outcome of its batch, other endpoints' too.
     */
    @Test
    void aResponseWithNulBytesIsRecordedAndDoesNotSinkTheOtherOutcomesOfItsBatch() {
        String nul = endpoint(receiver.url("/nul"), null, null, false);
        String ok = endpoint(receiver.url("/ok"), null, null, false);

        MessageAccepted message = publish("nul.answer", List.of(), "{}");

        assertThat((String) awaitAttempt(message, nul).get("response")).isEqualTo("ok\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD!");
        assertThat(((Number) awaitAttempt(message, ok).get("response_status_code")).intValue()).isEqualTo(200);
    }

    @Test
    void listsAttemptsOfAMessageThroughTheApi() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);
        MessageAccepted message = publish("listed.event", List.of(), "{}");
        awaitAttempt(message, endpoint);
        var api = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .defaultHeader("X-HookRelay-Internal-Token", INTERNAL_TOKEN).defaultHeader("X-HookRelay-Scope", "org").build();

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

    @Test
    void sendsTheEndpointsCustomHeadersButNeverLetsThemReplaceTheSignature() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);
        storeHeaders(endpoint, Map.of("X-Tenant", "acme", "webhook-id", "forged"));

        MessageAccepted message = publish("custom.headers", List.of(), "{}");

        await().atMost(Duration.ofSeconds(20)).until(() -> !received("/ok", message).isEmpty());
        var request = received("/ok", message).getFirst();
        assertThat(header(request, "x-tenant")).isEqualTo("acme");
        assertThat(request.headers().get("Webhook-id")).containsExactly(message.messageId());
    }

    @Test
    void signsWithTheReplacedSecretTooWhileItsGracePeriodLasts() throws Exception {
        String previous = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
        String rotating = endpoint(receiver.url("/ok"), null, null, false);
        String rotated = endpoint(receiver.url("/ok"), null, null, false);
        storePreviousSecret(rotating, previous, "1 hour");
        storePreviousSecret(rotated, previous, "-1 second");

        MessageAccepted message = publish("rotation.event", List.of(), "{\"r\":1}");

        await().atMost(Duration.ofSeconds(20)).until(() -> received("/ok", message).size() == 2);
        var signatures = received("/ok", message).stream().map(r -> header(r, "webhook-signature")).toList();
        assertThat(signatures).anySatisfy(value -> assertThat(value.split(" ")).hasSize(2));
        assertThat(signatures).anySatisfy(value -> assertThat(value.split(" ")).hasSize(1));
        for (var request : received("/ok", message)) {
            new Webhook(SECRET).verify(request.body(), request.headers());
        }
        var duringGrace = received("/ok", message).stream()
                .filter(r -> header(r, "webhook-signature").contains(" ")).findFirst().orElseThrow();
        new Webhook(previous).verify(duringGrace.body(), duringGrace.headers());
    }

    @Autowired
    org.springframework.kafka.config.KafkaListenerEndpointRegistry listeners;

    @Autowired
    org.springframework.kafka.listener.CommonErrorHandler retryForever;

    @Test
    void theMessageListenerRetriesAFailingRecordInsteadOfSkippingIt() {
        var containers = listeners.getListenerContainers();

        assertThat(containers).isNotEmpty().allSatisfy(container -> assertThat(
                ((org.springframework.kafka.listener.AbstractMessageListenerContainer<?, ?>)
                        ((org.springframework.kafka.listener.ConcurrentMessageListenerContainer<?, ?>) container)
                                .getContainers().getFirst()).getCommonErrorHandler())
                .isSameAs(retryForever));
    }
}
