package io.hookrelay.gateway;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** An operator who wants organisation tokens limited too sets a rate for them. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "hookrelay.gateway.rate-limit.requests-per-second=1",
    "hookrelay.gateway.rate-limit.burst=1",
    "hookrelay.gateway.rate-limit.organisation.requests-per-second=2",
    "hookrelay.gateway.rate-limit.organisation.burst=3"
})
class OrganisationRateLimitIT {

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
    void organisationTokensAreLimitedWithTheirOwnRateWhenOneIsSet() {
        var client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(15)).build();
        for (int remaining = 2; remaining >= 0; remaining--) {
            client.get().uri("/api/v1/app").header("Authorization", "Bearer " + GatewayTestSupport.ADMIN_TOKEN)
                    .exchange()
                    .expectStatus().isOk()
                    .expectHeader().valueEquals("RateLimit-Limit", "3")
                    .expectHeader().valueEquals("RateLimit-Remaining", Integer.toString(remaining));
        }

        client.get().uri("/api/v1/app").header("Authorization", "Bearer " + GatewayTestSupport.ADMIN_TOKEN)
                .exchange()
                .expectStatus().isEqualTo(429)
                .expectBody().jsonPath("$.code").isEqualTo("rate_limited");
    }
}
