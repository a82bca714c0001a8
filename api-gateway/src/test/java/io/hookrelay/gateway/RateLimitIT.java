package io.hookrelay.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Per-token token buckets in memory: 5 at once, then 2 a second. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "hookrelay.gateway.rate-limit.requests-per-second=2",
    "hookrelay.gateway.rate-limit.burst=5"
})
class RateLimitIT {

    static final StubService ingest = new StubService("ingest");
    static final StubService delivery = new StubService("delivery");

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        GatewayTestSupport.services(registry, ingest, delivery);
    }

    @AfterAll
    static void stop() {
        ingest.close();
        delivery.close();
    }

    @Test
    void eachTokenGetsItsOwnBucketAndA429SaysWhenToComeBack() throws Exception {
        var client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
        String other = (String) client.post().uri("/api/v1/auth/token")
                .header("Authorization", "Bearer " + GatewayTestSupport.ADMIN_TOKEN)
                .bodyValue(Map.of("name", "other")).exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("token");
        // the admin token spent one on creating the other token
        for (int remaining = 3; remaining >= 0; remaining--) {
            client.get().uri("/api/v1/app").header("Authorization", "Bearer " + GatewayTestSupport.ADMIN_TOKEN)
                    .exchange()
                    .expectStatus().isOk()
                    .expectHeader().valueEquals("RateLimit-Limit", "5")
                    .expectHeader().valueEquals("RateLimit-Remaining", Integer.toString(remaining));
        }
        int reached = ingest.requests.get();
        client.get().uri("/api/v1/app").header("Authorization", "Bearer " + GatewayTestSupport.ADMIN_TOKEN)
                .exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().valueEquals("Retry-After", "1")
                .expectHeader().valueEquals("RateLimit-Remaining", "0")
                .expectHeader().exists("RateLimit-Reset")
                .expectBody().jsonPath("$.code").isEqualTo("rate_limited");
        assertThat(ingest.requests.get()).isEqualTo(reached);

        client.get().uri("/api/v1/app").header("Authorization", "Bearer " + other)
                .exchange().expectStatus().isOk().expectHeader().valueEquals("RateLimit-Remaining", "4");

        Thread.sleep(Duration.ofMillis(600));
        client.get().uri("/api/v1/app").header("Authorization", "Bearer " + GatewayTestSupport.ADMIN_TOKEN)
                .exchange().expectStatus().isOk();
    }

    @Test
    void unauthenticatedAndPublicRequestsAreNotCountedAgainstAToken() {
        var client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
        for (int i = 0; i < 8; i++) {
            client.get().uri("/api/v1/health/").exchange().expectStatus().isOk()
                    .expectHeader().doesNotExist("RateLimit-Limit");
        }
    }
}
