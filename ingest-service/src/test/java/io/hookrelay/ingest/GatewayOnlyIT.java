package io.hookrelay.ingest;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * ingest-service called directly, not through the gateway: it trusts nothing the gateway did not
 * vouch for — no credential is 401, no explicit scope is 403 (no scope is not the organisation) —
 * and refuses the path spellings the gateway refuses, whoever sends them.
 */
class GatewayOnlyIT extends IngestIntegrationTest {

    @Test
    void refusesARequestWithoutTheInternalCredentialEvenWithAScope() {
        bare().get().uri("/api/v1/app").header("X-HookRelay-Scope", "org").exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("authentication_failed");
        bare().get().uri("/api/v1/app").header("X-HookRelay-Scope", "org").header("X-HookRelay-Internal-Token", "guess")
                .exchange().expectStatus().isUnauthorized();
        bare().post().uri("/api/v1/app").header("X-HookRelay-Scope", "org").bodyValue("{\"name\":\"x\"}")
                .header("Content-Type", "application/json").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void refusesARequestWithTheCredentialButNoExplicitScope() {
        for (List<String> scopes : List.of(List.<String>of(), List.of(""), List.of("admin"), List.of("app:"), List.of("ORG"),
                List.of("org", "app:app_1"))) {
            var request = credentialOnly().get().uri("/api/v1/app");
            scopes.forEach(scope -> request.header("X-HookRelay-Scope", scope));
            request.exchange()
                    .expectStatus().isForbidden()
                    .expectBody().jsonPath("$.code").isEqualTo("scope_required");
        }
        credentialOnly().get().uri("/v3/api-docs").exchange().expectStatus().isForbidden();
        api.get().uri("/api/v1/app").exchange().expectStatus().isOk();
    }

    @Test
    void refusesNonCanonicalPathsWhoeverSendsThem() {
        for (String path : List.of("/%61pi/v1/app", "/api;x/v1/app/acme/endpoint/acme-main/secret", "/api/v1/%61pp",
                "/api/v1/app/%2561cme", "/api/v1/app;x", "/api/v1/./app", "/api/v1/x/../app", "/api//v1/app",
                "/api/v1/app/acme%2Fendpoint", "/actuator/..;/api/v1/app")) {
            for (WebTestClient client : List.of(api, bare())) {
                client.get().uri(URI.create("http://127.0.0.1:" + port + path)).exchange()
                        .expectStatus().isBadRequest()
                        .expectBody().jsonPath("$.code").isEqualTo("invalid_path");
            }
        }
    }

    @Test
    void caseVariantsMatchNoRoute() {
        for (String path : List.of("/API/v1/app", "/api/V1/app", "/Api/V1/app", "/api/v1/APP")) {
            api.get().uri(path).exchange().expectStatus().isNotFound();
        }
    }

    @Test
    void actuatorStaysOpenForProbesButOnlyUnderItsOwnPath() {
        bare().get().uri("/actuator/health").exchange().expectStatus().isOk();
        bare().get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        bare().get().uri("/actuatorx/health").exchange().expectStatus().isUnauthorized();
    }

    private WebTestClient bare() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
    }

    private WebTestClient credentialOnly() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .defaultHeader("X-HookRelay-Internal-Token", INTERNAL_TOKEN).build();
    }
}
