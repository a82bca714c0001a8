package io.hookrelay.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookrelay.infra.SharedInfrastructure;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Organisation and application tokens: issue, use, scope, expiry, logout and revocation. */
class TokenIT extends GatewayIntegrationTest {

    @Test
    void organisationTokensAreIssuedOnceStoredHashedListedAndRevoked() throws Exception {
        var created = client.post().uri("/api/v1/auth/token")
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .bodyValue(Map.of("name", "ci pipeline"))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        String token = (String) created.get("token");
        String id = (String) created.get("id");
        assertThat(token).startsWith("hrsk_").hasSizeGreaterThan(40);
        assertThat(id).startsWith("tok_");

        get("/api/v1/app", token).expectStatus().isOk().expectBody().jsonPath("$.tokenId").isEqualTo(id);

        // only the digest is stored
        try (var db = jdbc(); var rows = db.createStatement().executeQuery(
                "select secret_hash, name from gateway.api_token where id = '" + id + "'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString("name")).isEqualTo("ci pipeline");
            assertThat(new String(rows.getBytes("secret_hash"), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(token);
            assertThat(rows.getBytes("secret_hash")).hasSize(32);
        }
        var listed = get("/api/v1/auth/token?limit=250", ADMIN_TOKEN).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        @SuppressWarnings("unchecked")
        var data = (List<Map<String, Object>>) listed.get("data");
        assertThat(data).anySatisfy(t -> {
            assertThat(t.get("id")).isEqualTo(id);
            assertThat(t.get("token")).isNull();
        });

        client.delete().uri("/api/v1/auth/token/" + id).header("Authorization", "Bearer " + ADMIN_TOKEN)
                .exchange().expectStatus().isNoContent();
        get("/api/v1/app", token).expectStatus().isUnauthorized();
        client.delete().uri("/api/v1/auth/token/tok_doesnotexist").header("Authorization", "Bearer " + ADMIN_TOKEN)
                .exchange().expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("not_found");
    }

    @Test
    void anApplicationTokenReachesOnlyItsApplication() {
        String token = appToken("app_mine", "mine-uid", Map.of());
        assertThat(token).startsWith("appsk_");

        get("/api/v1/app/app_mine", token).expectStatus().isOk().expectBody().jsonPath("$.id").isEqualTo("app_mine");
        get("/api/v1/app/app_mine/msg", token).expectStatus().isOk()
                .expectBody().jsonPath("$.scope").isEqualTo("app:app_mine");
        get("/api/v1/app/mine-uid/endpoint", token).expectStatus().isOk();
        get("/api/v1/app/app_mine/attempt/msg/msg_1", token).expectStatus().isOk()
                .expectBody().jsonPath("$.service").isEqualTo("delivery");
        client.post().uri("/api/v1/app/app_mine/msg").header("Authorization", "Bearer " + token)
                .bodyValue(Map.of("eventType", "a", "payload", Map.of())).exchange().expectStatus().isOk();
        get("/api/v1/event-type", token).expectStatus().isOk();
        int reached = ingest.requests.get() + delivery.requests.get();

        // everything else looks absent, whatever it is
        for (String path : List.of("/api/v1/app", "/api/v1/app/app_other", "/api/v1/app/app_other/msg",
                "/api/v1/app/other-uid/endpoint/ep_1", "/api/v1/auth/token", "/api/v1/stats/usage")) {
            get(path, token).expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("not_found");
        }
        // disguises of another application are not even read: refused before authentication
        for (String path : List.of("/api/v1/app/app_mine/../app_other/msg", "/api/v1/app/app_mine%2F..%2Fapp_other/msg",
                "/api/v1/app/app_mine;x=1/msg", "/api/v1/app//msg")) {
            get(path, token).expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("invalid_path");
        }
        client.post().uri("/api/v1/event-type").header("Authorization", "Bearer " + token)
                .bodyValue(Map.of("name", "x", "description", "x")).exchange().expectStatus().isNotFound();
        client.post().uri("/api/v1/auth/app-portal-access/app_other").header("Authorization", "Bearer " + token)
                .bodyValue(Map.of()).exchange().expectStatus().isNotFound();
        client.delete().uri("/api/v1/app/app_mine").header("Authorization", "Bearer " + token)
                .exchange().expectStatus().isForbidden();
        assertThat(ingest.requests.get() + delivery.requests.get()).as("refused requests never reach a service")
                .isEqualTo(reached);
    }

    @Test
    void aReadOnlyApplicationTokenOnlyReads() {
        String token = appToken("app_ro", null, Map.of("readOnly", true));
        get("/api/v1/app/app_ro/msg", token).expectStatus().isOk();
        client.post().uri("/api/v1/app/app_ro/msg").header("Authorization", "Bearer " + token)
                .bodyValue(Map.of("eventType", "a", "payload", Map.of())).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.code").isEqualTo("forbidden");
    }

    @Test
    void appPortalAccessCreatesTheApplicationWhenAskedAndRefusesUnknownOnesOtherwise() {
        ingest.answer("GET", "/api/v1/app/app_nope", 404, "{\"code\":\"not_found\",\"detail\":\"Application not found\"}");
        ingest.answer("GET", "/api/v1/app/customer-7", 404, "{\"code\":\"not_found\",\"detail\":\"Application not found\"}");
        client.post().uri("/api/v1/auth/app-portal-access/app_nope").header("Authorization", "Bearer " + ADMIN_TOKEN)
                .bodyValue(Map.of()).exchange()
                .expectStatus().isNotFound();

        ingest.answer("POST", "/api/v1/app", 201, "{\"id\":\"app_new\",\"uid\":\"customer-7\",\"name\":\"Customer 7\"}");
        var out = client.post().uri("/api/v1/auth/app-portal-access/customer-7").header("Authorization", "Bearer " + ADMIN_TOKEN)
                .bodyValue(Map.of("application", Map.of("name", "Customer 7")))
                .exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(out.get("url")).isEqualTo("https://api.example.test/api/v1/app/app_new");
        get("/api/v1/app/customer-7/msg", (String) out.get("token")).expectStatus().isOk();
        get("/api/v1/app/app_new/msg", (String) out.get("token")).expectStatus().isOk();
    }

    @Test
    void refusesExpiriesOutsideTheAllowedRange() {
        ingest.answer("GET", "/api/v1/app/app_x", 200, "{\"id\":\"app_x\",\"uid\":null}");
        for (long expiry : new long[] {0, 8 * 24 * 3600}) {
            client.post().uri("/api/v1/auth/app-portal-access/app_x").header("Authorization", "Bearer " + ADMIN_TOKEN)
                    .bodyValue(Map.of("expiry", expiry)).exchange()
                    .expectStatus().isEqualTo(422);
        }
        client.post().uri("/api/v1/auth/app-portal-access/app_x").header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Content-Type", "application/json").bodyValue("{not json").exchange()
                .expectStatus().isBadRequest();
    }

    @Test
    void refusesExpiriesBeyondTenYears() {
        for (long expiry : new long[] {59, 10_000_000_000_000L, Long.MAX_VALUE}) {
            client.post().uri("/api/v1/auth/token").header("Authorization", "Bearer " + ADMIN_TOKEN)
                    .bodyValue(Map.of("name", "far", "expiry", expiry)).exchange()
                    .expectStatus().isEqualTo(422);
        }
    }

    @Test
    void refusesTextPostgresCannotStoreWithA400() {
        client.post().uri("/api/v1/auth/token").header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Content-Type", "application/json").bodyValue("{\"name\":\"a\\u0000b\"}").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("invalid_text");
    }

    @Test
    void tokensExpire() {
        String token = appToken("app_brief", null, Map.of("expiry", 1));
        get("/api/v1/app/app_brief/msg", token).expectStatus().isOk();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                get("/api/v1/app/app_brief/msg", token).expectStatus().isUnauthorized());
    }

    @Test
    void logoutRevokesThePresentedTokenAtOnce() {
        String token = appToken("app_bye", null, Map.of());
        get("/api/v1/app/app_bye/msg", token).expectStatus().isOk();
        client.post().uri("/api/v1/auth/logout").header("Authorization", "Bearer " + token)
                .exchange().expectStatus().isNoContent();
        get("/api/v1/app/app_bye/msg", token).expectStatus().isUnauthorized();
        client.post().uri("/api/v1/auth/logout").header("Authorization", "Bearer " + ADMIN_TOKEN)
                .exchange().expectStatus().isEqualTo(409);
    }

    @Test
    void theOrganisationListsAnApplicationsLiveTokensWithoutTheTokensThemselves() {
        String first = appToken("app_listed", "listed-uid", Map.of("readOnly", true));
        String second = appToken("app_listed", "listed-uid", Map.of());
        appToken("app_unlisted", null, Map.of());
        String expiring = appToken("app_listed", "listed-uid", Map.of("expiry", 1));

        var byId = appTokens("?app_id=app_listed&limit=250");
        var byUid = appTokens("?app_id=listed-uid&limit=250");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(appTokens("?app_id=app_listed&limit=250")).hasSize(2));

        assertThat(byId).hasSize(3).extracting(token -> token.get("appId")).containsOnly("app_listed");
        assertThat(byUid).isEqualTo(byId);
        assertThat(byId).allSatisfy(token -> {
            assertThat(token).containsOnlyKeys("id", "appId", "appUid", "readOnly", "createdAt", "expiresAt");
            assertThat((String) token.get("id")).startsWith("tok_");
            assertThat(token.get("appUid")).isEqualTo("listed-uid");
            assertThat(token.get("expiresAt")).isNotNull();
        });
        assertThat(byId.toString()).doesNotContain(first, second, expiring, "appsk_");
        assertThat(byId).extracting(token -> token.get("readOnly")).containsExactlyInAnyOrder(true, false, false);
        assertThat(appTokens("?limit=250")).extracting(token -> token.get("appId")).contains("app_listed", "app_unlisted");
    }

    @Test
    void applicationTokensArePagedLikeEverySvixList() {
        for (int i = 0; i < 3; i++) {
            appToken("app_paged", null, Map.of());
        }

        var firstPage = get("/api/v1/auth/app-token?app_id=app_paged&limit=2", ADMIN_TOKEN).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        var secondPage = get("/api/v1/auth/app-token?app_id=app_paged&limit=2&iterator=" + firstPage.get("iterator"),
                ADMIN_TOKEN).expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();

        assertThat(firstPage).containsKeys("data", "iterator", "prevIterator", "done").containsEntry("done", false);
        @SuppressWarnings("unchecked")
        var firstData = (List<Object>) firstPage.get("data");
        @SuppressWarnings("unchecked")
        var secondData = (List<Object>) secondPage.get("data");
        assertThat(firstData).hasSize(2);
        assertThat(secondPage).containsEntry("done", true);
        assertThat(secondData).hasSize(1).doesNotContainAnyElementsOf(firstData);
        get("/api/v1/auth/app-token?limit=0", ADMIN_TOKEN).expectStatus().isEqualTo(422);
        get("/api/v1/auth/app-token?limit=251", ADMIN_TOKEN).expectStatus().isEqualTo(422);
        get("/api/v1/auth/app-token?limit=x", ADMIN_TOKEN).expectStatus().isBadRequest();
    }

    @Test
    void theOrganisationRevokesAnApplicationTokenAtOnce() {
        String token = appToken("app_revoked", null, Map.of());
        String kept = appToken("app_revoked", null, Map.of());
        get("/api/v1/app/app_revoked/msg", token).expectStatus().isOk();
        String id = idOf(token, "app_revoked");

        client.delete().uri("/api/v1/auth/app-token/" + id).header("Authorization", "Bearer " + ADMIN_TOKEN)
                .exchange().expectStatus().isNoContent();

        get("/api/v1/app/app_revoked/msg", token).expectStatus().isUnauthorized();
        get("/api/v1/app/app_revoked/msg", kept).expectStatus().isOk();
        assertThat(appTokens("?app_id=app_revoked")).extracting(t -> t.get("id")).doesNotContain(id).hasSize(1);
        client.delete().uri("/api/v1/auth/app-token/tok_doesnotexist").header("Authorization", "Bearer " + ADMIN_TOKEN)
                .exchange().expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("not_found");
    }

    @Test
    void eachRevocationOperationRevokesOnlyItsOwnKindOfToken() {
        String appTokenValue = appToken("app_kinds", null, Map.of());
        String appTokenId = idOf(appTokenValue, "app_kinds");
        var org = client.post().uri("/api/v1/auth/token").header("Authorization", "Bearer " + ADMIN_TOKEN)
                .bodyValue(Map.of("name", "kinds")).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();

        client.delete().uri("/api/v1/auth/app-token/" + org.get("id")).header("Authorization", "Bearer " + ADMIN_TOKEN)
                .exchange().expectStatus().isNotFound();
        client.delete().uri("/api/v1/auth/token/" + appTokenId).header("Authorization", "Bearer " + ADMIN_TOKEN)
                .exchange().expectStatus().isNotFound();

        get("/api/v1/app", (String) org.get("token")).expectStatus().isOk();
        get("/api/v1/app/app_kinds/msg", appTokenValue).expectStatus().isOk();
        assertThat(appTokens("?limit=250")).extracting(t -> t.get("id")).doesNotContain(org.get("id"));
    }

    @Test
    void anApplicationTokenCannotListOrRevokeTokensNotEvenItself() {
        String token = appToken("app_nosy", null, Map.of());
        String id = idOf(token, "app_nosy");

        for (String path : List.of("/api/v1/auth/app-token", "/api/v1/auth/app-token?app_id=app_nosy",
                "/api/v1/auth/app-token/", "/api/v1/auth/token", "/api/v1/auth/app-token/" + id)) {
            get(path, token).expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("not_found");
        }
        for (String path : List.of("/api/v1/auth/app-token/" + id, "/api/v1/auth/token/" + id)) {
            client.delete().uri(path).header("Authorization", "Bearer " + token)
                    .exchange().expectStatus().isNotFound();
        }

        get("/api/v1/app/app_nosy/msg", token).expectStatus().isOk();
        assertThat(appTokens("?app_id=app_nosy")).extracting(t -> t.get("id")).containsExactly(id);
    }

    /** A token's id, as the gateway names the caller to the services (the stub echoes it). */
    private String idOf(String token, String appId) {
        return (String) get("/api/v1/app/" + appId + "/msg", token).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("tokenId");
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> appTokens(String query) {
        var page = get("/api/v1/auth/app-token" + query, ADMIN_TOKEN).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(page).containsKeys("data", "iterator", "prevIterator", "done");
        return (List<Map<String, Object>>) page.get("data");
    }

    private static java.sql.Connection jdbc() throws java.sql.SQLException {
        var postgres = SharedInfrastructure.get().postgres();
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/"
                + SharedInfrastructure.DATABASE, "postgres", "");
    }
}
