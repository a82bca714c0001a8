package io.hookrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import io.hookrelay.support.secrets.StoredFields;

/** Endpoint update, patch, delete, custom headers, secret rotation and cursor paging. */
class EndpointLifecycleIT extends IngestIntegrationTest {

    @org.springframework.beans.factory.annotation.Autowired
    io.hookrelay.support.secrets.SecretCipher secrets;

    @Autowired
    DatabaseClient db;

    @Test
    void putReplacesAnEndpointButKeepsItsSecret() {
        String app = createApplication("ep-put");
        String ep = createEndpoint(app, Map.of("url", "https://example.com/a", "uid", "main", "eventTypes", List.of("a")));
        String secret = secretOf(app, ep);

        api.put().uri("/api/v1/app/{app}/endpoint/main", app)
                .bodyValue(Map.of("url", "https://example.com/b", "uid", "main", "disabled", true))
                .exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.id").isEqualTo(ep)
                .jsonPath("$.url").isEqualTo("https://example.com/b")
                .jsonPath("$.disabled").isEqualTo(true)
                .jsonPath("$.eventTypes").doesNotExist();
        assertThat(secretOf(app, ep)).isEqualTo(secret);
    }

    @Test
    void putCreatesAMissingEndpoint() {
        String app = createApplication("ep-put-new");

        api.put().uri("/api/v1/app/{app}/endpoint/fresh", app)
                .bodyValue(Map.of("url", "https://example.com/new", "uid", "fresh"))
                .exchange().expectStatus().isCreated()
                .expectBody().jsonPath("$.id").value(id -> assertThat((String) id).startsWith("ep_"));
        api.get().uri("/api/v1/app/{app}/endpoint/fresh", app).exchange().expectStatus().isOk();
    }

    @Test
    void updateAndPatchTakeNoSecretAndAPutThatCreatesGeneratesOne() {
        String app = createApplication("ep-put-secret");
        String ep = createEndpoint(app, Map.of("url", "https://example.com/s"));
        String secret = secretOf(app, ep);
        String offered = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

        api.put().uri("/api/v1/app/{app}/endpoint/{ep}", app, ep)
                .bodyValue(Map.of("url", "https://example.com/s2", "secret", offered))
                .exchange().expectStatus().isOk();
        api.patch().uri("/api/v1/app/{app}/endpoint/{ep}", app, ep)
                .bodyValue(Map.of("description", "patched", "secret", offered))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.description").isEqualTo("patched");
        api.put().uri("/api/v1/app/{app}/endpoint/created-by-put", app)
                .bodyValue(Map.of("url", "https://example.com/new", "uid", "created-by-put", "secret", offered))
                .exchange().expectStatus().isCreated();

        assertThat(secretOf(app, ep)).isEqualTo(secret);
        assertThat(secretOf(app, "created-by-put")).startsWith("whsec_").isNotEqualTo(offered).isNotEqualTo(secret);
    }

    @Test
    void patchAcceptsFilterTypesAndNullClearsTheFilter() {
        String app = createApplication("ep-patch");
        String ep = createEndpoint(app, Map.of("url", "https://example.com/p", "channels", List.of("eu")));

        api.patch().uri("/api/v1/app/{app}/endpoint/{ep}", app, ep).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"filterTypes\":[\"invoice.paid\"],\"channels\":null,\"description\":\"billing\"}")
                .exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.eventTypes[0]").isEqualTo("invoice.paid")
                .jsonPath("$.channels").doesNotExist()
                .jsonPath("$.description").isEqualTo("billing")
                .jsonPath("$.url").isEqualTo("https://example.com/p");
        api.patch().uri("/api/v1/app/{app}/endpoint/{ep}", app, ep).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"url\":\"ftp://example.com\"}")
                .exchange().expectStatus().isEqualTo(422);
    }

    @Test
    void deleteRemovesTheRowDeliveryReads() {
        String app = createApplication("ep-delete");
        String ep = createEndpoint(app, Map.of("url", "https://example.com/d"));

        api.delete().uri("/api/v1/app/{app}/endpoint/{ep}", app, ep).exchange().expectStatus().isNoContent();

        assertThat(db.sql("select count(*) from ingest.endpoint where id = :id").bind("id", ep)
                .map(row -> row.get(0, Long.class)).one().block()).isZero();
        api.get().uri("/api/v1/app/{app}/endpoint/{ep}", app, ep).exchange().expectStatus().isNotFound();
    }

    @Test
    void storesCustomHeadersAndHidesSensitiveValues() {
        String app = createApplication("ep-headers");
        String ep = createEndpoint(app, Map.of("url", "https://example.com/h"));

        api.put().uri("/api/v1/app/{app}/endpoint/{ep}/headers", app, ep)
                .bodyValue(Map.of("headers", Map.of("X-Tenant", "acme", "Authorization", "Bearer s3cret")))
                .exchange().expectStatus().isNoContent();
        api.patch().uri("/api/v1/app/{app}/endpoint/{ep}/headers", app, ep).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"headers\":{\"x-tenant\":null,\"X-Region\":\"eu\"}}")
                .exchange().expectStatus().isNoContent();

        api.get().uri("/api/v1/app/{app}/endpoint/{ep}/headers", app, ep).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.headers.X-Region").isEqualTo("eu")
                .jsonPath("$.headers.X-Tenant").doesNotExist()
                .jsonPath("$.headers.Authorization").doesNotExist()
                .jsonPath("$.sensitive[0]").isEqualTo("Authorization");
        // a header name with "-" (not a base64 character) cannot turn up in the ciphertext by chance
        assertThat(db.sql("select headers from ingest.endpoint where id = :id").bind("id", ep)
                .map(row -> row.get(0, String.class)).one().block())
                .as("kept encrypted").startsWith("enc:v2:").doesNotContain("s3cret").doesNotContain("X-Region");
    }

    @Test
    void refusesReservedHeaders() {
        String app = createApplication("ep-reserved");
        String ep = createEndpoint(app, Map.of("url", "https://example.com/r"));

        for (String name : List.of("webhook-signature", "Svix-Id", "Content-Type", "User-Agent", "Host",
                "Content-Length", "X-Amz-Date", "bad name")) {
            api.put().uri("/api/v1/app/{app}/endpoint/{ep}/headers", app, ep)
                    .bodyValue(Map.of("headers", Map.of(name, "x")))
                    .exchange().expectStatus().isEqualTo(422)
                    .expectBody().jsonPath("$.detail[0].loc[1]").isEqualTo("headers");
        }
        api.patch().uri("/api/v1/app/{app}/endpoint/{ep}/headers", app, ep)
                .bodyValue(Map.of("headers", Map.of("webhook-id", "x")))
                .exchange().expectStatus().isEqualTo(422);
    }

    @Test
    void rotationMakesANewSecretAndKeepsThePreviousFor24Hours() {
        String app = createApplication("ep-rotate");
        String ep = createEndpoint(app, Map.of("url", "https://example.com/s"));
        String before = secretOf(app, ep);

        api.post().uri("/api/v1/app/{app}/endpoint/{ep}/secret/rotate", app, ep).bodyValue(Map.of())
                .exchange().expectStatus().isNoContent();

        String after = secretOf(app, ep);
        assertThat(after).isNotEqualTo(before).startsWith("whsec_");
        var row = db.sql("select previous_secret, previous_secret_expires_at from ingest.endpoint where id = :id")
                .bind("id", ep)
                .map(r -> Map.entry(r.get(0, String.class), r.get(1, Instant.class))).one().block();
        assertThat(row.getKey()).as("kept encrypted").startsWith("enc:v2:default:");
        assertThat(secrets.open(row.getKey(), StoredFields.endpointPreviousSecret(ep))).isEqualTo(before);
        assertThat(Duration.between(Instant.now(), row.getValue())).isBetween(Duration.ofHours(23), Duration.ofHours(25));
    }

    @Test
    void rotationTakesAGivenKeyAndRefusesAMalformedOne() {
        String app = createApplication("ep-rotate-key");
        String ep = createEndpoint(app, Map.of("url", "https://example.com/s"));
        String key = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

        api.post().uri("/api/v1/app/{app}/endpoint/{ep}/secret/rotate", app, ep).bodyValue(Map.of("key", key))
                .exchange().expectStatus().isNoContent();
        api.post().uri("/api/v1/app/{app}/endpoint/{ep}/secret/rotate", app, ep).bodyValue(Map.of("key", "whsec_short"))
                .exchange().expectStatus().isEqualTo(422);

        assertThat(secretOf(app, ep)).isEqualTo(key);
    }

    @Test
    void pagesThroughEndpointsWithIteratorAndPrevIterator() {
        String app = createApplication("ep-paging");
        var ids = new ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            ids.add(createEndpoint(app, Map.of("url", "https://example.com/" + i)));
        }
        ids.sort(null);

        var first = page("/api/v1/app/" + app + "/endpoint?limit=2");
        var second = page("/api/v1/app/" + app + "/endpoint?limit=2&iterator=" + first.get("iterator"));
        var third = page("/api/v1/app/" + app + "/endpoint?limit=2&iterator=" + second.get("iterator"));
        var back = page("/api/v1/app/" + app + "/endpoint?limit=2&iterator=" + third.get("prevIterator"));
        var newestFirst = page("/api/v1/app/" + app + "/endpoint?limit=2&order=descending");

        assertThat(ApplicationLifecycleIT.idsOf(first)).containsExactly(ids.get(0), ids.get(1));
        assertThat(first.get("done")).isEqualTo(false);
        assertThat(ApplicationLifecycleIT.idsOf(second)).containsExactly(ids.get(2), ids.get(3));
        assertThat(ApplicationLifecycleIT.idsOf(third)).containsExactly(ids.get(4));
        assertThat(third.get("done")).isEqualTo(true);
        assertThat(ApplicationLifecycleIT.idsOf(back)).containsExactly(ids.get(2), ids.get(3));
        assertThat(ApplicationLifecycleIT.idsOf(newestFirst)).containsExactly(ids.get(4), ids.get(3));
    }

    private String createEndpoint(String app, Map<String, Object> body) {
        return api.post().uri("/api/v1/app/{app}/endpoint", app).bodyValue(body)
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
    }

    private String secretOf(String app, String ep) {
        return api.get().uri("/api/v1/app/{app}/endpoint/{ep}/secret", app, ep).exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("key").toString();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> page(String uri) {
        return api.get().uri(uri).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }
}
