package io.hookrelay.gateway;

import io.hookrelay.infra.Ports;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Nothing listens where the services should be: fast 503s with Retry-After, never a hang. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DownstreamDownIT {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        GatewayTestSupport.database(registry);
        registry.add("hookrelay.gateway.admin-token", () -> "down-it");
        registry.add("hookrelay.gateway.ingest-uri", () -> "http://127.0.0.1:" + Ports.freePort());
        registry.add("hookrelay.gateway.delivery-uri", () -> "http://127.0.0.1:" + Ports.freePort());
    }

    @Test
    void answers503WithRetryAfterWhenAServiceIsDown() {
        var client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(10)).build();

        client.post().uri("/api/v1/app").header("Authorization", "Bearer down-it")
                .bodyValue("{\"name\":\"x\"}").header("Content-Type", "application/json")
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "5")
                .expectBody().jsonPath("$.code").isEqualTo("service_unavailable");
        client.get().uri("/api/v1/openapi.json").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "5")
                .expectBody().jsonPath("$.code").isEqualTo("service_unavailable");
        client.get().uri("/api/v1/health/").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.components.ingest-service").isEqualTo("DOWN");
    }
}
