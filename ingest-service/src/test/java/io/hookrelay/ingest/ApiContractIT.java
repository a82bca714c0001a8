package io.hookrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

class ApiContractIT extends IngestIntegrationTest {

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.r2dbc.core.DatabaseClient db;

    @Test
    void createsAnApplicationWithSvixShape() {
        api.post().uri("/api/v1/app")
                .bodyValue(Map.of("name", "Acme", "uid", "acme-" + System.nanoTime(), "metadata", Map.of("tier", "gold")))
                .exchange()
                .expectStatus().isCreated()
                .expectBody()
                .jsonPath("$.id").value(id -> assertThat((String) id).startsWith("app_"))
                .jsonPath("$.name").isEqualTo("Acme")
                .jsonPath("$.metadata.tier").isEqualTo("gold")
                .jsonPath("$.createdAt").isNotEmpty()
                .jsonPath("$.updatedAt").isNotEmpty();
    }

    @Test
    void findsAnApplicationByItsUid() {
        String uid = "uid-" + System.nanoTime();
        api.post().uri("/api/v1/app").bodyValue(Map.of("name", "By uid", "uid", uid)).exchange().expectStatus().isCreated();

        api.get().uri("/api/v1/app/{uid}", uid).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.uid").isEqualTo(uid);
    }

    @Test
    void returnsTheExistingApplicationWhenAskedToGetIfExists() {
        String uid = "existing-" + System.nanoTime();
        String first = api.post().uri("/api/v1/app").bodyValue(Map.of("name", "One", "uid", uid)).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("id").toString();

        api.post().uri("/api/v1/app?get_if_exists=true").bodyValue(Map.of("name", "One", "uid", uid)).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.id").isEqualTo(first);
        api.post().uri("/api/v1/app").bodyValue(Map.of("name", "One", "uid", uid)).exchange()
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody().jsonPath("$.code").isEqualTo("conflict");
    }

    @Test
    void createsAnEndpointWithAGeneratedSecretAndServesTheSecret() {
        String app = createApplication("Endpoints");

        api.post().uri("/api/v1/app/{app}/endpoint", app)
                .bodyValue(Map.of("url", "https://example.com/hooks", "filterTypes", List.of("invoice.paid")))
                .exchange()
                .expectStatus().isCreated()
                .expectBody()
                .jsonPath("$.eventTypes[0]").isEqualTo("invoice.paid")
                .jsonPath("$.url").isEqualTo("https://example.com/hooks")
                .jsonPath("$.disabled").isEqualTo(false);

        var created = api.get().uri("/api/v1/app/{app}/endpoint", app).exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        @SuppressWarnings("unchecked")
        var data = (List<Map<String, Object>>) created.get("data");
        assertThat(data).hasSize(1);
        assertThat(created.get("done")).isEqualTo(true);

        api.get().uri("/api/v1/app/{app}/endpoint/{ep}/secret", app, data.getFirst().get("id")).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.key").value(key -> assertThat((String) key).matches("whsec_[A-Za-z0-9+/=]{32,}"));
    }

    @Test
    void keepsAGivenSecret() {
        String app = createApplication("Given secret");
        String secret = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

        String ep = api.post().uri("/api/v1/app/{app}/endpoint", app)
                .bodyValue(Map.of("url", "https://example.com/hooks", "secret", secret))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();

        api.get().uri("/api/v1/app/{app}/endpoint/{ep}/secret", app, ep).exchange()
                .expectBody().jsonPath("$.key").isEqualTo(secret);
        assertThat(db.sql("select secret from ingest.endpoint where id = :id").bind("id", ep)
                        .map(row -> row.get(0, String.class)).one().block())
                .as("stored encrypted")
                .startsWith("enc:v2:default:")
                .doesNotContain("C2FVsBQIhrsc");
    }

    @Test
    void acceptsAMessageWith202AndItsSvixShape() {
        String app = createApplication("Messages");

        api.post().uri("/api/v1/app/{app}/msg", app)
                .bodyValue(Map.of("eventType", "invoice.paid", "payload", Map.of("id", "in_1"), "channels", List.of("eu")))
                .exchange()
                .expectStatus().isAccepted()
                .expectBody()
                .jsonPath("$.id").value(id -> assertThat((String) id).startsWith("msg_"))
                .jsonPath("$.eventType").isEqualTo("invoice.paid")
                .jsonPath("$.payload.id").isEqualTo("in_1")
                .jsonPath("$.channels[0]").isEqualTo("eu")
                .jsonPath("$.timestamp").isNotEmpty();
    }

    @Test
    void keepsARawPayloadFromCurrentSvixSdksByteForByte() {
        String app = createApplication("Raw payload");
        String raw = "{\"b\": 1,  \"a\": [true, null]}";

        String id = api.post().uri("/api/v1/app/{app}/msg", app)
                .bodyValue(Map.of("eventType", "raw.event", "payload", Map.of(), "transformationsParams", Map.of("rawPayload", raw)))
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();

        api.get().uri("/api/v1/app/{app}/msg/{id}", app, id).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.payload.b").isEqualTo(1);
        assertThat(db.sql("select payload from ingest.message where id = :id").bind("id", id)
                .map(row -> row.get(0, String.class)).one().block()).isEqualTo(raw);
    }

    @Test
    void rejectsARawPayloadThatIsNotAJsonObject() {
        String app = createApplication("Bad raw payload");

        api.post().uri("/api/v1/app/{app}/msg", app)
                .bodyValue(Map.of("eventType", "raw.event", "payload", Map.of(), "transformationsParams", Map.of("rawPayload", "{nope")))
                .exchange()
                .expectStatus().isEqualTo(422);
    }

    @Test
    void takesAPayloadRetentionPeriodOfFiveToNinetyDaysAsSvixDoes() {
        String app = createApplication("Retention bounds");

        for (long days : new long[] {4, 91, -1}) {
            api.post().uri("/api/v1/app/{app}/msg", app)
                    .bodyValue(Map.of("eventType", "a", "payload", Map.of(), "payloadRetentionPeriod", days))
                    .exchange()
                    .expectStatus().isEqualTo(422)
                    .expectBody(String.class).value(body -> assertThat(body).contains("payloadRetentionPeriod"));
        }
        for (long days : new long[] {5, 90}) {
            api.post().uri("/api/v1/app/{app}/msg", app)
                    .bodyValue(Map.of("eventType", "a", "payload", Map.of(), "payloadRetentionPeriod", days))
                    .exchange()
                    .expectStatus().isAccepted();
        }
    }

    @Test
    void refusesRequestsThatDidNotComeThroughTheGateway() {
        var direct = org.springframework.test.web.reactive.server.WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port).build();

        direct.get().uri("/api/v1/app").exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("authentication_failed");
        direct.get().uri("/actuator/health").exchange().expectStatus().isOk();
    }

    @Test
    void answersHealthWithDatabaseAndKafkaUp() {
        api.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.components.kafka.status").isEqualTo("UP")
                .jsonPath("$.components.r2dbc.status").isEqualTo("UP");
    }

    @Test
    void rejectsMalformedJsonWith400() {
        String app = createApplication("Malformed");

        api.post().uri("/api/v1/app/{app}/msg", app)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"eventType\": \"a\", \"payload\": {")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("invalid_json");
    }
}
