package io.hookrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.ingest.secrets.Reencryption;
import io.hookrelay.support.secrets.SecretCipher;
import io.hookrelay.support.secrets.SecretsProperties;
import io.hookrelay.support.secrets.StoredFields;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The re-encrypt command's work: plain values, values of the first format and values under an
 * older key all end up sealed with the primary key, bound to their row, still readable; a second
 * run changes nothing. Runs over the whole shared table, so it asserts on its own rows and puts
 * every row back under the test key ({@code default}) at the end.
 */
class ReencryptionIT extends IngestIntegrationTest {

    private static final String NEXT_KEY = Base64.getEncoder().encodeToString("the next key, 32 bytes long!!!!!".getBytes());
    private static final String SECRET_A = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    private static final String SECRET_B = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String HEADERS = "{\"Authorization\":\"Bearer rcv-1\"}";

    @Autowired
    DatabaseClient db;

    @Autowired
    Reencryption reencryption;

    @Autowired
    SecretCipher current;

    @Autowired
    JsonMapper json;

    @Test
    void sealsPlainFirstFormatAndOldKeyValuesWithThePrimaryKeyOnce() throws Exception {
        String app = createApplication("reencrypt");
        String plain = endpoint(app);
        String firstFormat = endpoint(app);
        String oldKey = endpoint(app);
        store(plain, SECRET_A, null, HEADERS);
        store(firstFormat, v1(SECRET_A), v1(SECRET_B), v1(HEADERS));
        store(oldKey, current.seal(SECRET_A, StoredFields.endpointSecret(oldKey)),
                current.seal(SECRET_B, StoredFields.endpointPreviousSecret(oldKey)),
                current.seal(HEADERS, StoredFields.endpointHeaders(oldKey)));
        SecretCipher rotated = cipher("next");

        Reencryption.Report first = new Reencryption(db, rotated, json).run().block();

        assertThat(first.rewritten()).isGreaterThanOrEqualTo(3);
        for (String ep : List.of(plain, firstFormat, oldKey)) {
            assertThat(column("secret", ep)).startsWith("enc:v2:next:");
            assertThat(rotated.open(column("secret", ep), StoredFields.endpointSecret(ep))).isEqualTo(SECRET_A);
            assertThat(column("headers", ep)).startsWith("enc:v2:next:");
            assertThat(rotated.open(column("headers", ep), StoredFields.endpointHeaders(ep))).isEqualTo(HEADERS);
        }
        assertThat(column("previous_secret", plain)).isNull();
        assertThat(rotated.open(column("previous_secret", firstFormat), StoredFields.endpointPreviousSecret(firstFormat)))
                .isEqualTo(SECRET_B);

        Map<String, String> before = snapshot(plain, firstFormat, oldKey);
        Reencryption.Report second = new Reencryption(db, rotated, json).run().block();

        assertThat(second.rewritten()).isZero();
        assertThat(snapshot(plain, firstFormat, oldKey)).isEqualTo(before);

        Reencryption.Report back = new Reencryption(db, cipher("default"), json).run().block();

        assertThat(back.rewritten()).isGreaterThanOrEqualTo(first.rewritten());
        for (String ep : List.of(plain, firstFormat, oldKey)) {
            assertThat(column("secret", ep)).startsWith("enc:v2:default:");
            api.get().uri("/api/v1/app/{app}/endpoint/{ep}/secret", app, ep).exchange()
                    .expectStatus().isOk().expectBody().jsonPath("$.key").isEqualTo(SECRET_A);
            api.get().uri("/api/v1/app/{app}/endpoint/{ep}/headers", app, ep).exchange()
                    .expectStatus().isOk().expectBody().jsonPath("$.sensitive[0]").isEqualTo("Authorization");
        }
    }

    @Test
    void leavesAValueItCannotVouchForAsItIsAndSaysWhich() {
        String app = createApplication("reencrypt-refused");
        String moved = endpoint(app);
        String notASecret = endpoint(app);
        store(moved, current.seal(SECRET_A, StoredFields.endpointSecret("ep_elsewhere")), null, null);
        store(notASecret, "hello", null, null);

        Reencryption.Report report = reencryption.run().block();

        assertThat(report.complete()).isFalse();
        assertThat(report.failures()).anySatisfy(failure -> assertThat(failure).startsWith("endpoint " + moved + ":"));
        assertThat(report.failures()).anySatisfy(failure -> assertThat(failure).startsWith("endpoint " + notASecret + ":"));
        assertThat(column("secret", notASecret)).isEqualTo("hello");
        db.sql("delete from ingest.endpoint where id in (:a, :b)").bind("a", moved).bind("b", notASecret).then().block();
    }

    private SecretCipher cipher(String primary) {
        return SecretCipher.from(new SecretsProperties(TEST_SECRETS_KEY,
                List.of(new SecretsProperties.Key("next", NEXT_KEY)), primary, false));
    }

    private String endpoint(String app) {
        return api.post().uri("/api/v1/app/{app}/endpoint", app).bodyValue(Map.of("url", "https://example.com/hooks"))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
    }

    private void store(String ep, String secret, String previous, String headers) {
        db.sql("update ingest.endpoint set secret = :secret, previous_secret = :previous,"
                        + " previous_secret_expires_at = now() + interval '1 hour', headers = :headers where id = :id")
                .bind("id", ep)
                .bind("secret", secret)
                .bind("previous", Parameter.fromOrEmpty(previous, String.class))
                .bind("headers", Parameter.fromOrEmpty(headers, String.class))
                .then().block();
    }

    private Map<String, String> snapshot(String... eps) {
        var all = new java.util.TreeMap<String, String>();
        for (String ep : eps) {
            for (String name : List.of("secret", "previous_secret", "headers")) {
                all.put(ep + "." + name, String.valueOf(column(name, ep)));
            }
        }
        return all;
    }

    private String column(String name, String ep) {
        return db.sql("select " + name + " from ingest.endpoint where id = :id").bind("id", ep)
                .map(row -> Optional.ofNullable(row.get(0, String.class))).one().block().orElse(null);
    }

    /** What the first format ({@code enc:v1:}) wrote with the test key: no key id, no associated data. */
    private static String v1(String plain) throws Exception {
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(TEST_SECRETS_KEY), "AES"),
                new GCMParameterSpec(128, nonce));
        byte[] sealed = aes.doFinal(plain.getBytes(StandardCharsets.UTF_8));
        return "enc:v1:" + Base64.getEncoder().encodeToString(
                ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    }
}
