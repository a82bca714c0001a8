package io.hookrelay.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Per-token token buckets in memory with the default classes: application tokens 5 at once, then
 * 2 a second; organisation tokens (the admin token included) not limited.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "hookrelay.gateway.rate-limit.requests-per-second=2",
    "hookrelay.gateway.rate-limit.burst=5"
})
class RateLimitIT {

    static final StubService ingest = new StubService("ingest");
    static final StubService delivery = new StubService("delivery");

    @LocalServerPort
    int port;

    WebTestClient client;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        GatewayTestSupport.services(registry, ingest, delivery);
    }

    @AfterAll
    static void stop() {
        ingest.close();
        delivery.close();
    }

    @BeforeEach
    void client() {
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
    }

    @Test
    void eachApplicationTokenGetsItsOwnBucketAndA429SaysWhenToComeBack() throws Exception {
        String token = appToken("app_limited", null);
        String other = appToken("app_other", null);
        for (int remaining = 4; remaining >= 0; remaining--) {
            get("/api/v1/app/app_limited/msg", token)
                    .expectStatus().isOk()
                    .expectHeader().valueEquals("RateLimit-Limit", "5")
                    .expectHeader().valueEquals("RateLimit-Remaining", Integer.toString(remaining));
        }
        int reached = ingest.requests.get();

        get("/api/v1/app/app_limited/msg", token)
                .expectStatus().isEqualTo(429)
                .expectHeader().valueEquals("Retry-After", "1")
                .expectHeader().valueEquals("RateLimit-Remaining", "0")
                .expectHeader().exists("RateLimit-Reset")
                .expectBody().jsonPath("$.code").isEqualTo("rate_limited");
        assertThat(ingest.requests.get()).isEqualTo(reached);

        get("/api/v1/app/app_other/msg", other).expectStatus().isOk().expectHeader().valueEquals("RateLimit-Remaining", "4");

        Thread.sleep(Duration.ofMillis(600));
        get("/api/v1/app/app_limited/msg", token).expectStatus().isOk();
    }

    @Test
    void organisationTokensAreNotLimitedByDefaultEvenAtTenTimesTheApplicationLimit() {
        String organisation = organisationToken("backend");
        int reached = ingest.requests.get();

        for (int i = 0; i < 50; i++) {
            get("/api/v1/app", GatewayTestSupport.ADMIN_TOKEN).expectStatus().isOk()
                    .expectHeader().doesNotExist("RateLimit-Limit");
            get("/api/v1/app/app_any/msg", organisation).expectStatus().isOk()
                    .expectHeader().doesNotExist("RateLimit-Limit");
        }

        assertThat(ingest.requests.get() - reached).isEqualTo(100);
    }

    /** An answer from the application class's bucket carries its limit; an organisation token's carries none. */
    @Test
    void anApplicationTokenCannotPassForAnOrganisationToken() {
        String token = appToken("app_sneaky", "sneaky-uid");
        List<Consumer<HttpHeaders>> headerTricks = List.of(
                h -> h.set("X-HookRelay-Scope", "org"),
                h -> h.set("X-HookRelay-Token-Id", "admin"),
                h -> h.set("X-HookRelay-Internal-Token", GatewayTestSupport.INTERNAL_TOKEN),
                h -> h.set("X-Forwarded-For", "10.1.2.3"),
                h -> h.add(HttpHeaders.AUTHORIZATION, "Bearer " + GatewayTestSupport.ADMIN_TOKEN));

        for (var trick : headerTricks) {
            client.get().uri(URI.create(baseUrl() + "/api/v1/app/app_sneaky/msg"))
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                    .headers(trick)
                    .exchange()
                    .expectHeader().valueEquals("RateLimit-Limit", "5");
        }
        for (String path : List.of("/api/v1/app/sneaky-uid/msg", "/api/v1/app/app_sneaky/msg/", "/api/v1/app/app_sneaky",
                "/api/v1/app/app_sneaky/msg?scope=org", "/api/v1/app/app_sneaky/endpoint")) {
            get(path, token).expectHeader().valueEquals("RateLimit-Limit", "5");
        }
        int reached = ingest.requests.get();
        for (String path : List.of("/api/v1/app", "/api/v1/auth/token", "/api/v1/app/app_someone_else/msg",
                "/api/v1/app/app_sneaky/../app_x/msg", "//api/v1/app/app_sneaky/msg", "/api/v1/app/app_sneaky%2Fmsg")) {
            get(path, token).expectStatus().value(status -> assertThat(status).as(path).isIn(400, 404));
        }
        assertThat(ingest.requests.get()).as("none of those reached a service").isEqualTo(reached);
    }

    @Test
    void unauthenticatedAndPublicRequestsAreNotCountedAgainstAToken() {
        for (int i = 0; i < 8; i++) {
            client.get().uri("/api/v1/health/").exchange().expectStatus().isOk()
                    .expectHeader().doesNotExist("RateLimit-Limit");
        }
    }

    private WebTestClient.ResponseSpec get(String path, String token) {
        return client.get().uri(URI.create(baseUrl() + path)).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    private String appToken(String appId, String uid) {
        ingest.answer("GET", "/api/v1/app/" + appId, 200,
                "{\"id\":\"" + appId + "\",\"uid\":" + (uid == null ? "null" : "\"" + uid + "\"") + ",\"name\":\"x\"}");
        return (String) client.post().uri("/api/v1/auth/app-portal-access/" + appId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + GatewayTestSupport.ADMIN_TOKEN)
                .bodyValue(Map.of()).exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("token");
    }

    private String organisationToken(String name) {
        return (String) client.post().uri("/api/v1/auth/token")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + GatewayTestSupport.ADMIN_TOKEN)
                .bodyValue(Map.of("name", name)).exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("token");
    }
}
