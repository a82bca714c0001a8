package io.hookrelay.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import reactor.core.publisher.Flux;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

/** Body limits, slow and failing services: fast, clear answers and nothing reaches a service it should not. */
class ResilienceIT extends GatewayIntegrationTest {

    @Test
    void refusesABodyOverTheLimitWith413() {
        byte[] large = new byte[3000];
        Arrays.fill(large, (byte) 'a');
        client.post().uri("/api/v1/app/app_1/msg").header("Authorization", "Bearer " + ADMIN_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(large)
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.code").isEqualTo("payload_too_large");
        assertThat(ingest.requests.get()).isZero();

        byte[] small = new byte[1500];
        Arrays.fill(small, (byte) 'a');
        client.post().uri("/api/v1/app/app_1/msg").header("Authorization", "Bearer " + ADMIN_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(small)
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.bodyBytes").isEqualTo(1500);
    }

    @Test
    void refusesAChunkedBodyOverTheLimitWith413() {
        var chunks = Flux.range(0, 6).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[1000]));
        client.post().uri("/api/v1/app/app_1/msg").header("Authorization", "Bearer " + ADMIN_TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .body(chunks, org.springframework.core.io.buffer.DataBuffer.class)
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.code").isEqualTo("payload_too_large");
    }

    @Test
    void aSlowServiceGivesA504WithRetryAfterWithinTheTimeout() {
        ingest.delay = Duration.ofSeconds(5);
        long start = System.nanoTime();
        get("/api/v1/app", ADMIN_TOKEN)
                .expectStatus().isEqualTo(504)
                .expectHeader().valueEquals("Retry-After", "5")
                .expectBody().jsonPath("$.code").isEqualTo("gateway_timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void aMessageCreationIngestHoldsIsAnswered503MayHaveBeenAcceptedWithinTheAcceptTimeout() {
        ingest.delay = Duration.ofMillis(900);
        long start = System.nanoTime();
        client.post().uri("/api/v1/app/app_1/msg").header("Authorization", "Bearer " + ADMIN_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"eventType\":\"a\",\"payload\":{}}")
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "5")
                .expectBody()
                .jsonPath("$.code").isEqualTo("service_unavailable")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).startsWith("The request may have been accepted"));
        // the accept time-out (500 ms) ran out: with the response time-out (1 s) the service's answer,
        // a 200 after 900 ms, would have come through
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(450));
        assertThat(ingest.requests.get()).isEqualTo(1);
    }

    @Test
    void aSendExampleCreatesAMessageTooAndIsCutShortTheSameWay() {
        ingest.delay = Duration.ofMillis(900);
        client.post().uri("/api/v1/app/app_1/endpoint/ep_1/send-example").header("Authorization", "Bearer " + ADMIN_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"eventType\":\"a\"}")
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectBody()
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).startsWith("The request may have been accepted"));
        assertThat(ingest.requests.get()).isEqualTo(1);
    }

    @Test
    void onlyAMessageCreationIsCutShortEveryOtherCallKeepsTheResponseTimeout() {
        ingest.delay = Duration.ofMillis(700);
        // the same path read, two other POSTs of ingest's, a POST to delivery under the message's path
        get("/api/v1/app/app_1/msg", ADMIN_TOKEN).expectStatus().isOk();
        client.post().uri("/api/v1/app").header("Authorization", "Bearer " + ADMIN_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\":\"a\"}")
                .exchange().expectStatus().isOk();
        client.post().uri("/api/v1/app/app_1/endpoint").header("Authorization", "Bearer " + ADMIN_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"url\":\"https://example.test/hook\"}")
                .exchange().expectStatus().isOk();
        delivery.delay = Duration.ofMillis(700);
        client.post().uri("/api/v1/app/app_1/msg/msg_1/endpoint/ep_1/resend").header("Authorization", "Bearer " + ADMIN_TOKEN)
                .exchange().expectStatus().isOk();
        assertThat(ingest.requests.get()).isEqualTo(3);
        assertThat(delivery.requests.get()).isEqualTo(1);
    }

    @Test
    void aFailingServiceOpensItsBreakerWithoutAffectingTheOther() {
        ingest.failWith = 503;
        int calls = 0;
        String code;
        do {
            // the service's own 503s ("down") until enough have failed; then the gateway's
            code = (String) get("/api/v1/app", ADMIN_TOKEN).expectStatus().isEqualTo(503)
                    .expectBody(java.util.Map.class).returnResult().getResponseBody().get("code");
            calls++;
        } while (code.equals("down") && calls < 20);
        assertThat(code).isEqualTo("service_unavailable");
        assertThat(calls).as("calls until the breaker opened").isBetween(2, 11);
        int reached = ingest.requests.get();

        // open: answered at once by the gateway with Retry-After, the service is left alone
        for (int i = 0; i < 5; i++) {
            get("/api/v1/app", ADMIN_TOKEN).expectStatus().isEqualTo(503)
                    .expectHeader().valueEquals("Retry-After", "2")
                    .expectBody().jsonPath("$.code").isEqualTo("service_unavailable");
        }
        assertThat(ingest.requests.get()).isEqualTo(reached);
        // delivery's breaker is its own
        get("/api/v1/app/app_1/attempt/msg/msg_1", ADMIN_TOKEN).expectStatus().isOk();

        // a recovered service: after the open period, trial calls close the breaker again
        ingest.failWith = 0;
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> get("/api/v1/app", ADMIN_TOKEN).expectStatus().isOk());
        for (int i = 0; i < 5; i++) {
            get("/api/v1/app", ADMIN_TOKEN).expectStatus().isOk();
        }
    }

    /**
     * The JDK client (and any other without prior knowledge) asks for HTTP/2 by an upgrade on its
     * first request, body included: the server must take that body (up to the body limit) instead
     * of answering 413 to every first POST of such a client.
     */
    @Test
    void takesARequestBodyOnTheHttp2Upgrade() throws Exception {
        byte[] small = new byte[1500];
        Arrays.fill(small, (byte) 'a');
        byte[] large = new byte[3000];
        Arrays.fill(large, (byte) 'a');

        var accepted = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()
                .send(upgradePost(small), HttpResponse.BodyHandlers.ofString());
        var refused = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()
                .send(upgradePost(large), HttpResponse.BodyHandlers.ofString());

        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(accepted.body()).contains("\"bodyBytes\":1500");
        assertThat(refused.statusCode()).isEqualTo(413);
    }

    private HttpRequest upgradePost(byte[] body) {
        return HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/app/app_1/msg"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    @Test
    void speaksHttp2() throws Exception {
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        // h2c by upgrade from HTTP/1.1, the way a client without prior knowledge asks
        var response = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/health/")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    }
}
