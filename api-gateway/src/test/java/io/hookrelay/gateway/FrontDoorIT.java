package io.hookrelay.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/**
 * The front door fails closed: one reading of the path before anyone authenticates, and a token on
 * every request but the few public operations — tried the ways around it, over real HTTP.
 */
class FrontDoorIT extends GatewayIntegrationTest {

    @Test
    void refusesTheEncodedPathThatOnceMintedAnOrganisationTokenWithoutOne() {
        client.post().uri(URI.create(baseUrl() + "/%61pi/v1/auth/token"))
                .header("Content-Type", "application/json")
                .bodyValue("{\"name\":\"front-door-attack\"}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.code").isEqualTo("invalid_path")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("percent-escapes"));

        client.get().uri("/api/v1/auth/token").header("Authorization", "Bearer " + ADMIN_TOKEN).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.data[?(@.name == 'front-door-attack')]").doesNotExist();
    }

    @Test
    void refusesTheMatrixParameterPathThatOnceReadAnEndpointSecretWithoutAToken() {
        client.get().uri(URI.create(baseUrl() + "/api;x/v1/app/acme/endpoint/acme-main/secret")).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("invalid_path");

        assertThat(ingest.requests.get() + delivery.requests.get()).isZero();
    }

    @Test
    void refusesEveryNonCanonicalSpellingWithOrWithoutATokenBeforeReachingAService() {
        List<String> spellings = List.of(
                "/%61pi/v1/app", "/api/v1/%61pp", "/api/v1/app/%2561cme", "/api/v1/app/acme%2Fendpoint",
                "/api;x/v1/app", "/api/v1;x/app", "/api/v1/app;x", "/api/v1/app/acme;jsessionid=1/endpoint",
                "/api/v1/./app", "/api/v1/x/../app", "/./api/v1/app", "/api//v1/app", "//api/v1/app",
                "/api/v1/app//", "/api/v1/health//", "/api/v1/health;x", "/api/v1/%68ealth", "/api/v1/openapi.json;x",
                "/api/v1/app/%E2%80%AE");
        for (String path : spellings) {
            for (String token : new String[] {null, ADMIN_TOKEN}) {
                var request = client.get().uri(URI.create(baseUrl() + path));
                if (token != null) {
                    request.header("Authorization", "Bearer " + token);
                }
                request.exchange()
                        .expectStatus().isBadRequest()
                        .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                        .expectBody().jsonPath("$.code").isEqualTo("invalid_path");
            }
        }

        assertThat(ingest.requests.get() + delivery.requests.get()).isZero();
    }

    @Test
    void needsATokenOnEveryPathNotOnlyUnderTheApi() {
        for (String path : List.of("/", "/foo", "/actuator/env", "/v3/api-docs", "/API/v1/app", "/Api/V1/auth/token",
                "/api/V1/app", "/api/v1/HEALTH", "/api/v1/Openapi.json", "/api/v2/app", "/api")) {
            client.get().uri(URI.create(baseUrl() + path)).exchange()
                    .expectStatus().isUnauthorized()
                    .expectHeader().valueEquals("WWW-Authenticate", "Bearer")
                    .expectBody().jsonPath("$.code").isEqualTo("authentication_failed");
        }
        client.post().uri(URI.create(baseUrl() + "/API/v1/auth/token")).header("Content-Type", "application/json")
                .bodyValue("{\"name\":\"x\"}").exchange().expectStatus().isUnauthorized();

        assertThat(ingest.requests.get() + delivery.requests.get()).isZero();
    }

    @Test
    void answersUnknownPathsAndCaseVariantsWith404WhenAuthenticated() {
        for (String path : List.of("/foo", "/API/v1/app", "/api/V1/app", "/Api/V1/auth/token", "/api/v2/app", "/v3/api-docs")) {
            get(path, ADMIN_TOKEN).expectStatus().isNotFound()
                    .expectBody()
                    .jsonPath("$.code").isEqualTo("not_found")
                    .jsonPath("$.detail").isEqualTo("No such operation in the API");
        }

        assertThat(ingest.requests.get() + delivery.requests.get()).isZero();
    }

    @Test
    void publicOperationsArePublicOnlyWithTheirExactMethodAndPath() {
        client.get().uri("/api/v1/health").exchange().expectStatus().isOk();
        client.head().uri("/api/v1/health/").exchange().expectStatus().isOk();
        client.get().uri("/api/v1/openapi.json").exchange().expectStatus().isOk();

        client.post().uri("/api/v1/health/").exchange().expectStatus().isUnauthorized();
        client.delete().uri("/api/v1/openapi.json").exchange().expectStatus().isUnauthorized();
        client.head().uri("/api/v1/openapi.json").exchange().expectStatus().isUnauthorized();
        client.get().uri("/api/v1/openapi.json/").exchange().expectStatus().isUnauthorized();
        client.get().uri("/api/v1/health/x").exchange().expectStatus().isUnauthorized();
        assertThat(ingest.requests.get() + delivery.requests.get()).isZero();
    }

    @Test
    void anOptionsRequestWithoutThePreflightShapeNeedsAToken() {
        client.method(HttpMethod.OPTIONS).uri("/api/v1/app").exchange().expectStatus().isUnauthorized();
        // an actual (not preflight) cross-origin OPTIONS: refused by the CORS rules (OPTIONS is not an allowed method) or by authentication
        var withOrigin = client.method(HttpMethod.OPTIONS).uri("/api/v1/app").header("Origin", "https://portal.example.test")
                .exchange().returnResult(Void.class).getStatus().value();
        assertThat(withOrigin).isIn(401, 403);
        client.method(HttpMethod.OPTIONS).uri("/api/v1/app").header("Access-Control-Request-Method", "GET")
                .exchange().expectStatus().isUnauthorized();

        assertThat(ingest.requests.get() + delivery.requests.get()).isZero();
    }

    @Test
    void aPreflightIsAnsweredOrRefusedAtTheDoorAndNeverPassedOn() {
        for (String path : List.of("/api/v1/app", "/api/v1/app/app_1/endpoint/ep_1/secret", "/actuator/env", "/foo")) {
            for (String origin : List.of("https://portal.example.test", "https://evil.example.test")) {
                var status = client.options().uri(path)
                        .header("Origin", origin)
                        .header("Access-Control-Request-Method", "GET")
                        .exchange()
                        .returnResult(Void.class).getStatus();
                assertThat(status.value()).as("%s from %s", path, origin).isIn(200, 403);
            }
        }

        assertThat(ingest.requests.get() + delivery.requests.get()).isZero();
    }

    @Test
    void legitimatePathsAndAnyQueryStringStillGetThrough() {
        get("/api/v1/app/acme.corp-eu_1/endpoint/ep_2xKsB8mQ3nV0pR7tY1wZ9cD4eF6", ADMIN_TOKEN).expectStatus().isOk()
                .expectBody().jsonPath("$.path").isEqualTo("/api/v1/app/acme.corp-eu_1/endpoint/ep_2xKsB8mQ3nV0pR7tY1wZ9cD4eF6");
        get("/api/v1/event-type/invoice.paid", ADMIN_TOKEN).expectStatus().isOk();
        get("/api/v1/app/app_1/msg?iterator=%2F..%2F%3Bx&before=2024-01-01T00:00:00%2B01:00", ADMIN_TOKEN).expectStatus().isOk()
                .expectBody().jsonPath("$.scope").isEqualTo("org");
    }
}
