package io.hookrelay.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The gateway over real HTTP, in front of stub services. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayIT {

    static final String ADMIN_TOKEN = "gateway-it-admin";
    static final String INTERNAL_TOKEN = "gateway-it-internal";
    static final StubService ingest = new StubService("ingest");
    static final StubService delivery = new StubService("delivery");

    @LocalServerPort
    int port;

    WebTestClient client;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        registry.add("hookrelay.gateway.admin-token", () -> ADMIN_TOKEN);
        registry.add("hookrelay.gateway.internal-token", () -> INTERNAL_TOKEN);
        registry.add("hookrelay.gateway.ingest-uri", ingest::uri);
        registry.add("hookrelay.gateway.delivery-uri", delivery::uri);
    }

    @BeforeEach
    void client() {
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
    }

    @AfterEach
    void healthy() {
        ingest.health = "UP";
        delivery.health = "UP";
    }

    @AfterAll
    static void stop() {
        ingest.close();
        delivery.close();
    }

    @Test
    void routesAttemptsToDeliveryAndTheRestToIngest() {
        authorized("/api/v1/app/app_1/attempt/msg/msg_1").expectBody().jsonPath("$.service").isEqualTo("delivery");
        authorized("/api/v1/app/app_1/msg/msg_1/attempt/atmpt_1").expectBody().jsonPath("$.service").isEqualTo("delivery");
        authorized("/api/v1/app/app_1/msg").expectBody().jsonPath("$.service").isEqualTo("ingest");
        authorized("/api/v1/app/app_1/endpoint/ep_1/recover").expectBody().jsonPath("$.service").isEqualTo("delivery");
        authorized("/api/v1/app/app_1/endpoint/ep_1/stats").expectBody().jsonPath("$.service").isEqualTo("delivery");
        authorized("/api/v1/app/app_1/endpoint/ep_1/send-example").expectBody().jsonPath("$.service").isEqualTo("ingest");
        authorized("/api/v1/app/app_1/msg/msg_1/endpoint/ep_1/resend").expectBody().jsonPath("$.service").isEqualTo("delivery");
        authorized("/api/v1/app/app_1/endpoint/ep_1/secret").expectBody()
                .jsonPath("$.service").isEqualTo("ingest")
                .jsonPath("$.path").isEqualTo("/api/v1/app/app_1/endpoint/ep_1/secret");
    }

    @Test
    void requiresTheBearerToken() {
        client.get().uri("/api/v1/app").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals("WWW-Authenticate", "Bearer")
                .expectBody().jsonPath("$.code").isEqualTo("authentication_failed");
        client.get().uri("/api/v1/app").header("Authorization", "Bearer wrong").exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.detail").isEqualTo("Invalid token");
        client.get().uri("/api/v1/app").header("Authorization", "Basic " + ADMIN_TOKEN).exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void replacesInternalHeadersAClientTriesToSet() {
        client.get().uri("/api/v1/app")
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("X-HookRelay-Internal-Token", "forged")
                .header("x-hookrelay-principal", "admin")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.internalToken").isEqualTo(INTERNAL_TOKEN)
                .jsonPath("$.forged").isEqualTo("null");
    }

    @Test
    void healthIsUpOnlyWhenEveryServiceIs() {
        client.get().uri("/api/v1/health/").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");

        delivery.health = "DOWN";

        client.get().uri("/api/v1/health").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody()
                .jsonPath("$.status").isEqualTo("DOWN")
                .jsonPath("$.components.delivery-service").isEqualTo("DOWN")
                .jsonPath("$.components.ingest-service").isEqualTo("UP");
    }

    @Test
    void healthNeedsNoToken() {
        client.head().uri("/api/v1/health/").exchange().expectStatus().isOk();
    }

    @Test
    void doesNotLeakAServerHeader() {
        authorized("/api/v1/app").expectHeader().doesNotExist("Server");
    }

    private WebTestClient.ResponseSpec authorized(String path) {
        return client.get().uri(path).header("Authorization", "Bearer " + ADMIN_TOKEN).exchange().expectStatus().isOk();
    }
}
