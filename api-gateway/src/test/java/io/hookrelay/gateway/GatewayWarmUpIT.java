package io.hookrelay.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookrelay.gateway.warmup.WarmUpCredentials;
import io.hookrelay.gateway.warmup.WarmUpTraffic;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The gateway sends its warm-up through its whole chain to ingest-service before its port opens,
 * with a credential of its own that counts nowhere else, past a rate limiter that would have
 * throttled it, and leaves no trace in what operators read about clients: the access log, the
 * gateway's request metrics, {@code http.server.requests}.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "hookrelay.gateway.warm-up.requests=300",
    "hookrelay.gateway.warm-up.concurrency=4",
    // organisation tokens limited (they are not by default): 20 at once, far fewer than the warm-up sends
    "hookrelay.gateway.rate-limit.organisation.requests-per-second=1",
    "hookrelay.gateway.rate-limit.organisation.burst=20",
    "management.tracing.sampling.probability=0"
})
class GatewayWarmUpIT {

    private static final String WARM_UP_PATH = "/api/v1/app/hookrelay-gateway-warm-up-" + "x".repeat(240) + "/msg";
    static final StubService ingest = new StubService("ingest");
    static final StubService delivery = new StubService("delivery");

    static {
        // what ingest-service answers a message creation without an event type
        ingest.answer("POST", WARM_UP_PATH, 422, "{\"code\":\"validation\",\"detail\":\"eventType must not be empty\"}");
    }

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Autowired
    PortOpening portOpening;

    @Autowired
    WarmUpTraffic warmUpTraffic;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        GatewayTestSupport.services(registry, ingest, delivery);
    }

    /** How many requests ingest had seen when the gateway's public port opened. */
    static class PortOpening {
        final AtomicInteger ingestRequests = new AtomicInteger(-1);

        @EventListener
        void opened(WebServerInitializedEvent event) {
            if (event.getApplicationContext().getServerNamespace() == null) { // the API's port, not management's
                ingestRequests.compareAndSet(-1, ingest.requests.get());
            }
        }
    }

    @TestConfiguration
    static class Listening {
        @Bean
        PortOpening portOpening() {
            return new PortOpening();
        }
    }

    @Test
    void everyWarmUpRequestReachedIngestUnderItsOwnCredentialBeforeThePortOpenedAndLeftNoTrace(CapturedOutput output)
            throws Exception {
        // all 300 passed an organisation limit of 20 at once: the limiter let the warm-up by
        assertThat(portOpening.ingestRequests).as("ingest's requests when the port opened").hasValue(300);
        assertThat(ingest.lastHeaders.get("X-hookrelay-token-id")).containsExactly(WarmUpTraffic.TOKEN_ID);
        assertThat(output).contains("Warm-up: 300 of 300 requests through the gateway's path");

        var answer = createMessage(WARM_UP_PATH, "Bearer " + GatewayTestSupport.ADMIN_TOKEN);

        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(answer.headers().firstValue("RateLimit-Remaining")).as("the warm-up took nothing from the bucket")
                .hasValue("19");
        assertThat(ingest.requests).hasValue(301);
        // the access line and the timers are written once the answer has gone
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(output.getOut().lines().filter(line -> line.contains("path=" + WARM_UP_PATH.substring(0, 60))))
                    .as("the access log has the client's request and none of the warm-up's").hasSize(1);
            assertThat(meters.get("hookrelay.gateway.requests").tag("route", "ingest").tag("status", "422").timer().count())
                    .isEqualTo(1);
            assertThat(meters.get("http.server.requests").tag("status", "422").timer().count()).isEqualTo(1);
        });
    }

    /** The warm-up's credential, were it ever to leak, is no credential on the public port. */
    @Test
    void theWarmUpsCredentialIsRefusedOnThePublicPort() throws Exception {
        int before = ingest.requests.get();

        var answer = createMessage("/api/v1/app/stolen-credential/msg", "Bearer " + WarmUpCredentials.of(warmUpTraffic));

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).contains("authentication_failed");
        assertThat(ingest.requests).as("nothing reached ingest").hasValue(before);
    }

    private HttpResponse<String> createMessage(String path, String authorization) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", authorization)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"eventType\":\"\",\"payload\":{}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
