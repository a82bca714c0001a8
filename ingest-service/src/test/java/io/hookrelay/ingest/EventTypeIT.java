package io.hookrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** Event types: create, get, update, patch, archive, expunge, list. */
class EventTypeIT extends IngestIntegrationTest {

    private static final Map<String, Object> SCHEMA = Map.of("1", Map.of("type", "object", "title", "Invoice paid"));

    @Test
    void createsAnEventTypeWithItsSchemasAndServesIt() {
        String name = unique("invoice.paid");

        api.post().uri("/api/v1/event-type")
                .bodyValue(Map.of("name", name, "description", "An invoice was paid", "schemas", SCHEMA))
                .exchange().expectStatus().isCreated()
                .expectBody()
                .jsonPath("$.name").isEqualTo(name)
                .jsonPath("$.archived").isEqualTo(false)
                .jsonPath("$.deprecated").isEqualTo(false)
                .jsonPath("$.createdAt").isNotEmpty();

        api.get().uri("/api/v1/event-type/{name}", name).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.description").isEqualTo("An invoice was paid")
                .jsonPath("$.schemas.1.title").isEqualTo("Invoice paid");
    }

    @Test
    void creatingAnExistingEventTypeIsAConflict() {
        String name = unique("dup");
        create(name);

        api.post().uri("/api/v1/event-type").bodyValue(Map.of("name", name, "description", "again"))
                .exchange().expectStatus().isEqualTo(409);
    }

    @Test
    void refusesBadNamesAndSchemas() {
        api.post().uri("/api/v1/event-type").bodyValue(Map.of("name", "has space", "description", "d"))
                .exchange().expectStatus().isEqualTo(422);
        api.post().uri("/api/v1/event-type").bodyValue(Map.of("name", unique("no-desc")))
                .exchange().expectStatus().isEqualTo(422);
        api.post().uri("/api/v1/event-type")
                .bodyValue(Map.of("name", unique("bad-schema"), "description", "d", "schemas", Map.of("1", "text")))
                .exchange().expectStatus().isEqualTo(422);
        api.get().uri("/api/v1/event-type/{name}", unique("missing")).exchange().expectStatus().isNotFound();
    }

    @Test
    void putUpdatesOrCreatesAndPatchChangesOnlyWhatIsGiven() {
        String name = unique("put");

        api.put().uri("/api/v1/event-type/{name}", name).bodyValue(Map.of("description", "first"))
                .exchange().expectStatus().isCreated();
        api.put().uri("/api/v1/event-type/{name}", name).bodyValue(Map.of("description", "second", "schemas", SCHEMA))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.description").isEqualTo("second");
        api.patch().uri("/api/v1/event-type/{name}", name).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"deprecated\":true}")
                .exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.deprecated").isEqualTo(true)
                .jsonPath("$.description").isEqualTo("second")
                .jsonPath("$.schemas.1.type").isEqualTo("object");
    }

    @Test
    void deleteArchivesAndCreateUnarchives() {
        String name = unique("archive");
        create(name);

        api.delete().uri("/api/v1/event-type/{name}", name).exchange().expectStatus().isNoContent();

        api.get().uri("/api/v1/event-type/{name}", name).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.archived").isEqualTo(true);
        assertThat(names("/api/v1/event-type?limit=250")).doesNotContain(name);
        assertThat(names("/api/v1/event-type?limit=250&include_archived=true")).contains(name);
        api.post().uri("/api/v1/event-type").bodyValue(Map.of("name", name, "description", "back"))
                .exchange().expectStatus().isCreated()
                .expectBody().jsonPath("$.archived").isEqualTo(false);
    }

    @Test
    void expungeDeletesForGood() {
        String name = unique("expunge");
        create(name);

        api.delete().uri("/api/v1/event-type/{name}?expunge=true", name).exchange().expectStatus().isNoContent();

        api.get().uri("/api/v1/event-type/{name}", name).exchange().expectStatus().isNotFound();
    }

    @Test
    void listsByNameWithSchemasOnlyWhenAskedFor() {
        String prefix = unique("list");
        create(prefix + ".a");
        create(prefix + ".b");
        create(prefix + ".c");

        var all = names("/api/v1/event-type?limit=250");
        var page = api.get().uri("/api/v1/event-type?limit=1&iterator={it}", prefix + ".a").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.data[0].name").isEqualTo(prefix + ".b")
                .jsonPath("$.data[0].schemas").doesNotExist()
                .jsonPath("$.done").isEqualTo(false);
        api.get().uri("/api/v1/event-type?limit=1&with_content=true&iterator={it}", prefix + ".a").exchange()
                .expectBody().jsonPath("$.data[0].schemas.1.type").isEqualTo("object");

        assertThat(page).isNotNull();
        assertThat(all).containsSubsequence(prefix + ".a", prefix + ".b", prefix + ".c");
    }

    private void create(String name) {
        api.post().uri("/api/v1/event-type").bodyValue(Map.of("name", name, "description", "d", "schemas", SCHEMA))
                .exchange().expectStatus().isCreated();
    }

    @SuppressWarnings("unchecked")
    private List<String> names(String uri) {
        var body = api.get().uri(uri).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return ((List<Map<String, Object>>) body.get("data")).stream().map(t -> t.get("name").toString()).toList();
    }

    private static String unique(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
