package io.hookrelay.ingest;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The second line behind the gateway's path check: a request the gateway marked as coming from an
 * application token ({@code X-HookRelay-Scope: app:<id>}) reaches that application only, whatever
 * uid now names which application.
 */
class CallerScopeIT extends IngestIntegrationTest {

    @Test
    void aUidNowNamingAnotherApplicationIsNotFoundForTheOldApplicationsToken() {
        String uid = "scope-" + UUID.randomUUID();
        String first = createApplication("First");
        api.patch().uri("/api/v1/app/{app}", first).bodyValue(Map.of("uid", uid)).exchange().expectStatus().isOk();
        // the uid moves to another application
        api.patch().uri("/api/v1/app/{app}", first).bodyValue(Map.of("uid", "moved-" + UUID.randomUUID()))
                .exchange().expectStatus().isOk();
        String second = createApplication("Second");
        api.patch().uri("/api/v1/app/{app}", second).bodyValue(Map.of("uid", uid)).exchange().expectStatus().isOk();

        scoped(first, "/api/v1/app/" + uid + "/endpoint").expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("not_found");
        scoped(first, "/api/v1/app/" + uid + "/msg").expectStatus().isNotFound();
        scoped(first, "/api/v1/app/" + first + "/endpoint").expectStatus().isOk();
        scoped(second, "/api/v1/app/" + uid + "/endpoint").expectStatus().isOk();
        api.get().uri("/api/v1/app/{uid}/endpoint", uid).exchange().expectStatus().isOk();
    }

    @Test
    void anIdWinsOverAUidThatEqualsIt() {
        String victim = createApplication("Victim");
        String impostor = createApplication("Impostor");
        api.patch().uri("/api/v1/app/{app}", impostor).bodyValue(Map.of("uid", victim)).exchange().expectStatus().isOk();

        api.get().uri("/api/v1/app/{ref}", victim).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.id").isEqualTo(victim).jsonPath("$.name").isEqualTo("Victim");
        scoped(impostor, "/api/v1/app/" + victim + "/msg").expectStatus().isNotFound();
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec scoped(String appId, String path) {
        return api.get().uri(path).header("X-HookRelay-Scope", "app:" + appId).exchange();
    }
}
