package io.hookrelay.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.gateway.MisbehavingService.Failure;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A service that dies or stalls with a request in flight: the client is told 503 with
 * {@code Retry-After} and, for a change, that it may have been accepted (retry with the same
 * idempotency-key) — never a 500, whose "error" would be a lie when the message was stored.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    // apart, so the message creation's answer shows which of the two ran out
    "hookrelay.gateway.downstream.response-timeout=3s",
    "hookrelay.gateway.downstream.accept-timeout=1s",
    // every call here fails on purpose: the breaker must not answer in the service's place
    "hookrelay.gateway.downstream.sliding-window=100",
    "hookrelay.gateway.downstream.minimum-calls=100"
})
class ConnectionLostIT {

    static final String ADMIN_TOKEN = "connection-lost-it";
    static final MisbehavingService service = newService();
    static boolean warm;

    @LocalServerPort
    int port;

    WebTestClient client;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        GatewayTestSupport.database(registry);
        registry.add("hookrelay.gateway.admin-token", () -> ADMIN_TOKEN);
        registry.add("hookrelay.gateway.ingest-uri", service::uri);
        registry.add("hookrelay.gateway.delivery-uri", service::uri);
    }

    @BeforeEach
    void client() {
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(15)).build();
        service.hangUp();
        if (!warm) {
            // the first exchange of a JVM takes seconds (class loading), which the timing below must not count
            client.get().uri("/api/v1/app").header("Authorization", "Bearer " + ADMIN_TOKEN).exchange();
            warm = true;
        }
        service.requests.set(0);
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    @Test
    void aMessageCutOffWhileItsBodyIsSentMayHaveBeenAccepted() {
        service.failure = Failure.RESET_WHILE_RECEIVING_THE_BODY;

        var answer = send("POST", "/api/v1/app/app_1/msg", MisbehavingService.body(200_000));

        assertMayHaveBeenAccepted(answer);
        assertThat(service.requests.get()).as("sent once: a request that reached the service is not retried").isEqualTo(1);
    }

    @Test
    void aServiceClosingAfterTheRequestIsA503ThatMayHaveBeenAcceptedForEveryChange() {
        service.failure = Failure.CLOSE_AFTER_THE_REQUEST;

        for (String method : new String[] {"POST", "PUT", "PATCH", "DELETE"}) {
            assertMayHaveBeenAccepted(send(method, "/api/v1/app/app_1", MisbehavingService.body(200)));
        }
    }

    @Test
    void aMessageTheServiceNeverAnswersIsA503ThatMayHaveBeenAcceptedAfterTheAcceptTimeout() {
        service.failure = Failure.NEVER_ANSWER;
        long start = System.nanoTime();

        var answer = send("POST", "/api/v1/app/app_1/msg", MisbehavingService.body(200));

        assertMayHaveBeenAccepted(answer);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));
    }

    @Test
    void aReadCutOffIsA503ToRetryAndATimedOutReadA504() {
        service.failure = Failure.CLOSE_AFTER_THE_REQUEST;
        var lost = client.get().uri("/api/v1/app").header("Authorization", "Bearer " + ADMIN_TOKEN).exchange();
        lost.expectStatus().isEqualTo(503).expectHeader().valueEquals("Retry-After", "5");
        assertThat(detail(lost)).contains("retry").doesNotContain("may have been accepted");

        service.failure = Failure.NEVER_ANSWER;
        var late = client.get().uri("/api/v1/app").header("Authorization", "Bearer " + ADMIN_TOKEN).exchange();
        late.expectStatus().isEqualTo(504).expectHeader().valueEquals("Retry-After", "5");
        assertThat(detail(late)).contains("retry").doesNotContain("may have been accepted");
    }

    private WebTestClient.ResponseSpec send(String method, String path, byte[] body) {
        return client.method(org.springframework.http.HttpMethod.valueOf(method)).uri(path)
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("idempotency-key", "key-" + method)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private static void assertMayHaveBeenAccepted(WebTestClient.ResponseSpec answer) {
        answer.expectStatus().isEqualTo(503).expectHeader().valueEquals("Retry-After", "5");
        assertThat(detail(answer)).isEqualTo(
                "The request may have been accepted: its outcome is unknown. "
                        + "Retry it with the same idempotency-key, which makes the retry safe (the first outcome is answered again)");
    }

    @SuppressWarnings("unchecked")
    private static String detail(WebTestClient.ResponseSpec answer) {
        Map<String, Object> body = answer.expectBody(Map.class).returnResult().getResponseBody();
        assertThat(body).containsEntry("code", body.get("code")).containsKey("detail");
        return (String) body.get("detail");
    }

    private static MisbehavingService newService() {
        try {
            return new MisbehavingService();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
