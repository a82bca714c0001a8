package io.hookrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Endpoint credentials (signing secret, custom headers) are stored encrypted and bound to their
 * row and column; with a key configured, a value someone wrote into the table, copied from
 * another row or moved from {@code previous_secret} is never answered, and the log tells the
 * operator which endpoint and what to do.
 */
@ExtendWith(OutputCaptureExtension.class)
class EndpointCredentialsAtRestIT extends IngestIntegrationTest {

    private static final String RECEIVER_TOKEN = "Bearer rcv-9f3b2c";

    @Autowired
    DatabaseClient db;

    @Test
    void storesCustomHeadersEncryptedAndAnswersThemAsBefore() {
        String app = createApplication("headers-at-rest");
        String ep = endpoint(app);

        putHeaders(app, ep, Map.of("Authorization", RECEIVER_TOKEN, "X-Tenant", "acme-eu"));

        assertThat(column("headers", ep)).startsWith("enc:v2:default:").doesNotContain("rcv-9f3b2c").doesNotContain("acme-eu");
        api.get().uri("/api/v1/app/{app}/endpoint/{ep}/headers", app, ep).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.headers.X-Tenant").isEqualTo("acme-eu")
                .jsonPath("$.headers.Authorization").doesNotExist()
                .jsonPath("$.sensitive[0]").isEqualTo("Authorization");
    }

    @Test
    void emptyHeadersAreStoredAsNone() {
        String app = createApplication("headers-none");
        String ep = endpoint(app);
        putHeaders(app, ep, Map.of("X-Tenant", "acme"));

        putHeaders(app, ep, Map.of());

        assertThat(column("headers", ep)).isNull();
        api.get().uri("/api/v1/app/{app}/endpoint/{ep}/headers", app, ep).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.headers").isEmpty().jsonPath("$.sensitive").isEmpty();
    }

    @Test
    void refusesHeadersCopiedFromAnotherEndpoint(CapturedOutput output) {
        String app = createApplication("headers-copied");
        String victim = endpoint(app);
        String attacker = endpoint(app);
        putHeaders(app, victim, Map.of("Authorization", RECEIVER_TOKEN));

        db.sql("update ingest.endpoint set headers = (select headers from ingest.endpoint where id = :from) where id = :to")
                .bind("from", victim).bind("to", attacker).then().block();

        refused(app, attacker, "/headers");
        api.patch().uri("/api/v1/app/{app}/endpoint/{ep}/headers", app, attacker)
                .bodyValue(Map.of("headers", Map.of("X-Other", "1")))
                .exchange().expectStatus().isEqualTo(500);
        assertThat(column("headers", attacker)).isEqualTo(column("headers", victim));
        assertThat(output.getAll()).contains("endpoint " + attacker + " (headers)").contains("another row or column")
                .doesNotContain("rcv-9f3b2c");
        api.get().uri("/api/v1/app/{app}/endpoint/{ep}", app, attacker).exchange().expectStatus().isOk();
        api.get().uri("/api/v1/app/{app}/endpoint", app).exchange().expectStatus().isOk();
    }

    @Test
    void refusesPlainValuesWrittenIntoTheTable(CapturedOutput output) {
        String app = createApplication("plain-values");
        String ep = endpoint(app);
        String chosen = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

        db.sql("update ingest.endpoint set secret = :secret, headers = :headers where id = :id")
                .bind("secret", chosen).bind("headers", "{\"Authorization\": \"" + RECEIVER_TOKEN + "\"}").bind("id", ep)
                .then().block();

        String body = refused(app, ep, "/secret");
        assertThat(body).doesNotContain("C2FVsBQIhrsc");
        refused(app, ep, "/headers");
        api.post().uri("/api/v1/app/{app}/endpoint/{ep}/secret/rotate", app, ep).bodyValue(Map.of())
                .exchange().expectStatus().isEqualTo(500);
        assertThat(column("secret", ep)).isEqualTo(chosen);
        assertThat(output.getAll())
                .contains("endpoint " + ep + " (secret): stored without encryption")
                .contains("--hookrelay.secrets.reencrypt=true")
                .doesNotContain("C2FVsBQIhrsc")
                .doesNotContain("rcv-9f3b2c");
    }

    @Test
    void refusesAnOldSecretMovedBackFromPreviousSecret() {
        String app = createApplication("rollback");
        String ep = endpoint(app);
        api.post().uri("/api/v1/app/{app}/endpoint/{ep}/secret/rotate", app, ep).bodyValue(Map.of())
                .exchange().expectStatus().isNoContent();

        db.sql("update ingest.endpoint set secret = previous_secret where id = :id").bind("id", ep).then().block();

        refused(app, ep, "/secret");
    }

    @Test
    void aPutReplacingHeadersIsTheWayOutOfAnUnreadableValue() {
        String app = createApplication("headers-replaced");
        String ep = endpoint(app);
        db.sql("update ingest.endpoint set headers = '{\"X-Old\": \"1\"}' where id = :id").bind("id", ep).then().block();

        putHeaders(app, ep, Map.of("X-New", "2"));

        api.get().uri("/api/v1/app/{app}/endpoint/{ep}/headers", app, ep).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.headers.X-New").isEqualTo("2");
    }

    /** Answered as our fault (500, nothing of the value), never as if it were fine. */
    private String refused(String app, String ep, String path) {
        return api.get().uri("/api/v1/app/{app}/endpoint/{ep}" + path, app, ep).exchange()
                .expectStatus().isEqualTo(500)
                .expectBody(String.class).value(body -> assertThat(body).contains("internal_error")
                        .doesNotContain("rcv-9f3b2c"))
                .returnResult().getResponseBody();
    }

    private String endpoint(String app) {
        return api.post().uri("/api/v1/app/{app}/endpoint", app).bodyValue(Map.of("url", "https://example.com/hooks"))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
    }

    private void putHeaders(String app, String ep, Map<String, String> headers) {
        api.put().uri("/api/v1/app/{app}/endpoint/{ep}/headers", app, ep).bodyValue(Map.of("headers", headers))
                .exchange().expectStatus().isNoContent();
    }

    private String column(String name, String ep) {
        return db.sql("select " + name + " from ingest.endpoint where id = :id").bind("id", ep)
                .map(row -> java.util.Optional.ofNullable(row.get(0, String.class))).one().block().orElse(null);
    }
}
