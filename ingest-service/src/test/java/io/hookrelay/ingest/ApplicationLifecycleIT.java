package io.hookrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Application update (PUT creates if missing), patch, delete and Svix cursor listing. */
class ApplicationLifecycleIT extends IngestIntegrationTest {

    @Autowired
    DatabaseClient db;

    @Test
    void putCreatesAMissingApplicationThenReplacesIt() {
        String uid = "put-" + UUID.randomUUID();

        var created = api.put().uri("/api/v1/app/{uid}", uid)
                .bodyValue(Map.of("name", "First", "uid", uid, "metadata", Map.of("k", "v")))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        api.put().uri("/api/v1/app/{uid}", uid)
                .bodyValue(Map.of("name", "Second", "uid", uid))
                .exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.id").isEqualTo(created.get("id"))
                .jsonPath("$.name").isEqualTo("Second")
                .jsonPath("$.metadata.k").doesNotExist();
    }

    @Test
    void patchChangesOnlyTheFieldsGivenAndNullClearsTheUid() {
        String uid = "patch-" + UUID.randomUUID();
        String id = create(Map.of("name", "Before", "uid", uid, "metadata", Map.of("tier", "gold"), "throttleRate", 10));

        api.patch().uri("/api/v1/app/{uid}", uid).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"After\",\"uid\":null}")
                .exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.id").isEqualTo(id)
                .jsonPath("$.name").isEqualTo("After")
                .jsonPath("$.uid").doesNotExist()
                .jsonPath("$.metadata.tier").isEqualTo("gold")
                .jsonPath("$.throttleRate").isEqualTo(10);
    }

    @Test
    void patchRefusesWhatCreateWouldRefuse() {
        String id = create(Map.of("name", "Valid"));

        api.patch().uri("/api/v1/app/{id}", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"\"}")
                .exchange().expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.detail[0].loc[1]").isEqualTo("name");
        api.patch().uri("/api/v1/app/{id}", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"uid\":\"has space\"}")
                .exchange().expectStatus().isEqualTo(422);
    }

    @Test
    void updatingToAUidAnotherApplicationHasIsAConflict() {
        String taken = "taken-" + UUID.randomUUID();
        create(Map.of("name", "Owner", "uid", taken));
        String id = create(Map.of("name", "Other"));

        api.put().uri("/api/v1/app/{id}", id).bodyValue(Map.of("name", "Other", "uid", taken))
                .exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("conflict");
    }

    @Test
    void deleteRemovesTheApplicationWithItsEndpoints() {
        String id = create(Map.of("name", "Doomed"));
        api.post().uri("/api/v1/app/{id}/endpoint", id).bodyValue(Map.of("url", "https://example.com/x"))
                .exchange().expectStatus().isCreated();

        api.delete().uri("/api/v1/app/{id}", id).exchange().expectStatus().isNoContent();

        api.get().uri("/api/v1/app/{id}", id).exchange().expectStatus().isNotFound();
        api.get().uri("/api/v1/app/{id}/endpoint", id).exchange().expectStatus().isNotFound();
        api.delete().uri("/api/v1/app/{id}", id).exchange().expectStatus().isNotFound();
    }

    /** The accept path knows applications by id from memory; a deletion here forgets at once. */
    @Test
    void aMessageToADeletedApplicationIsA404() {
        String id = create(Map.of("name", "Deleted soon"));
        sendMessage(id).expectStatus().isAccepted();

        api.delete().uri("/api/v1/app/{id}", id).exchange().expectStatus().isNoContent();

        sendMessage(id).expectStatus().isNotFound();
    }

    /** Deleted behind this process's back (another replica): the message's foreign key says so. */
    @Test
    void aMessageToAnApplicationAnotherReplicaDeletedIsA404AndStoresNothing() {
        String id = create(Map.of("name", "Deleted elsewhere"));
        sendMessage(id).expectStatus().isAccepted();

        db.sql("delete from ingest.application where id = :id").bind("id", id).then().block();

        sendMessage(id).expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("not_found");
        sendMessage(id).expectStatus().isNotFound();
        assertThat(db.sql("select count(*) from ingest.message where app_id = :id").bind("id", id)
                .map(row -> row.get(0, Long.class)).one().block()).isZero();
    }

    private WebTestClient.ResponseSpec sendMessage(String appId) {
        return api.post().uri("/api/v1/app/{id}/msg", appId)
                .header("idempotency-key", UUID.randomUUID().toString())
                .bodyValue(Map.of("eventType", "a", "payload", Map.of("n", 1)))
                .exchange();
    }

    @Test
    void listsApplicationsInIdOrderEitherWay() {
        create(Map.of("name", "order-1"));
        create(Map.of("name", "order-2"));

        var ascending = idsOf(list("/api/v1/app?limit=250"));
        var descending = idsOf(list("/api/v1/app?limit=250&order=descending"));

        assertThat(ascending).isSorted().hasSizeGreaterThanOrEqualTo(2);
        assertThat(descending).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    @Test
    void refusesAnUnknownOrder() {
        api.get().uri("/api/v1/app?order=sideways").exchange().expectStatus().isEqualTo(422);
    }

    private String create(Map<String, Object> body) {
        return api.post().uri("/api/v1/app").bodyValue(body).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> list(String uri) {
        return api.get().uri(uri).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    static List<String> idsOf(Map<String, Object> page) {
        return ((List<Map<String, Object>>) page.get("data")).stream().map(item -> item.get("id").toString()).toList();
    }
}
