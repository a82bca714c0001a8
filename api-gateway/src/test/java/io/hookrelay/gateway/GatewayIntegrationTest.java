package io.hookrelay.gateway;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The gateway over real HTTP against the JVM's shared PostgreSQL, with stub services behind it;
 * one Spring context for every subclass. Small limits so tests can cross them cheaply.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "hookrelay.gateway.requests.max-body-size=2KB",
    "hookrelay.gateway.rate-limit.requests-per-second=1000",
    "hookrelay.gateway.rate-limit.burst=1000",
    "hookrelay.gateway.cors.allowed-origins=https://portal.example.test",
    "hookrelay.gateway.tokens.app-token-min-expiry=1s",
    "hookrelay.gateway.tokens.cache-ttl=200ms",
    "hookrelay.gateway.downstream.response-timeout=1s",
    "hookrelay.gateway.downstream.accept-timeout=500ms",
    "hookrelay.gateway.downstream.open-for=2s",
    "hookrelay.gateway.public-url=https://api.example.test",
    // these tests present many bad tokens from one address and flip services' health: FailedAuthenticationIT
    // and HealthCacheIT test the allowance and the cache in a context of their own
    "hookrelay.gateway.auth-failures.allowance=100000",
    "hookrelay.gateway.health.cache-for=0s",
    // the gateway decides alone whether a new trace is recorded: never here, so its flags are known
    "management.tracing.sampling.probability=0"
})
abstract class GatewayIntegrationTest {

    static final String ADMIN_TOKEN = GatewayTestSupport.ADMIN_TOKEN;
    static final String INTERNAL_TOKEN = GatewayTestSupport.INTERNAL_TOKEN;
    static final StubService ingest = new StubService("ingest");
    static final StubService delivery = new StubService("delivery");

    @LocalServerPort
    int port;

    WebTestClient client;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        GatewayTestSupport.services(registry, ingest, delivery);
    }

    @BeforeEach
    void client() {
        ingest.reset();
        delivery.reset();
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(15)).build();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** An application token for {@code appId} (uid {@code uid}), issued through the API. */
    String appToken(String appId, String uid, Map<String, Object> request) {
        ingest.answer("GET", "/api/v1/app/" + appId, 200,
                "{\"id\":\"" + appId + "\",\"uid\":" + (uid == null ? "null" : "\"" + uid + "\"") + ",\"name\":\"x\"}");
        return (String) client.post().uri("/api/v1/auth/app-portal-access/" + appId)
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .bodyValue(request)
                .exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody()
                .get("token");
    }

    WebTestClient.ResponseSpec get(String path, String token) {
        // an exact URI: paths with encoded or dotted segments must reach the gateway as written
        return client.get().uri(java.net.URI.create(baseUrl() + path)).header("Authorization", "Bearer " + token).exchange();
    }
}
