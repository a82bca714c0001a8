package io.hookrelay.support.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String OTHER_KEY = Base64.getEncoder().encodeToString("another key, 32 bytes long!!!!!!".getBytes());
    private static final String SECRET = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    private static final String HERE = StoredFields.endpointSecret("ep_1");

    private final SecretCipher cipher = SecretCipher.from(SecretsProperties.singleKey(KEY, false));

    @Test
    void storesASecretEncryptedWithItsKeyIdAndReadsItBack() {
        String stored = cipher.seal(SECRET, HERE);

        assertThat(stored).startsWith("enc:v2:default:").doesNotContain("C2FVsBQIhrsc");
        assertThat(cipher.open(stored, HERE)).isEqualTo(SECRET);
    }

    @Test
    void usesAFreshNonceEveryTime() {
        assertThat(cipher.seal(SECRET, HERE)).isNotEqualTo(cipher.seal(SECRET, HERE));
    }

    @Test
    void refusesAValueMovedToAnotherRowOrColumn() {
        String stored = cipher.seal(SECRET, HERE);

        assertThatThrownBy(() -> cipher.open(stored, StoredFields.endpointSecret("ep_2")))
                .isInstanceOf(UnreadableSecretException.class)
                .hasMessageContaining("endpoint ep_2 (secret)")
                .hasMessageContaining("written for another row or column");
        assertThatThrownBy(() -> cipher.open(stored, StoredFields.endpointPreviousSecret("ep_1")))
                .isInstanceOf(UnreadableSecretException.class);
        assertThatThrownBy(() -> cipher.open(stored, StoredFields.endpointHeaders("ep_1")))
                .isInstanceOf(UnreadableSecretException.class);
    }

    @Test
    void refusesAnAlteredValue() {
        String stored = cipher.seal(SECRET, HERE);
        char last = stored.charAt(stored.length() - 2);
        String altered = stored.substring(0, stored.length() - 2) + (last == 'A' ? 'B' : 'A') + stored.charAt(stored.length() - 1);
        String truncated = stored.substring(0, "enc:v2:default:".length() + 8);
        String notBase64 = "enc:v2:default:%%%";

        for (String bad : List.of(altered, truncated, notBase64)) {
            assertThatThrownBy(() -> cipher.open(bad, HERE)).isInstanceOf(UnreadableSecretException.class);
        }
    }

    @Test
    void refusesAValueWrittenWithAnotherKeyOfTheSameId() {
        String stored = cipher.seal(SECRET, HERE);

        assertThatThrownBy(() -> SecretCipher.from(SecretsProperties.singleKey(OTHER_KEY, false)).open(stored, HERE))
                .isInstanceOf(UnreadableSecretException.class)
                .hasMessageContaining("could not be decrypted with key 'default'");
    }

    @Test
    void refusesAValueWithoutThePrefixWhenAKeyIsConfigured() {
        assertThatThrownBy(() -> cipher.open(SECRET, HERE))
                .isInstanceOf(UnreadableSecretException.class)
                .hasMessageContaining("endpoint ep_1 (secret)")
                .hasMessageContaining("stored without encryption")
                .hasMessageContaining("--hookrelay.secrets.reencrypt=true")
                .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> cipher.open("enc:v3:default:" + SECRET, HERE)).isInstanceOf(UnreadableSecretException.class);
        assertThatThrownBy(() -> cipher.open("ENC:V2:" + SECRET, HERE)).isInstanceOf(UnreadableSecretException.class);
    }

    @Test
    void readsValuesOfTheFirstFormat() throws Exception {
        String v1 = encryptV1(KEY, SECRET);

        assertThat(cipher.open(v1, HERE)).isEqualTo(SECRET);
        assertThat(rotated("new", "default").open(v1, HERE)).isEqualTo(SECRET);
    }

    @Test
    void encryptsWithThePrimaryKeyAndStillDecryptsWithTheOldOnes() {
        String old = cipher.seal(SECRET, HERE);
        SecretCipher afterRotation = rotated("2026-11", "2026-11");

        String fresh = afterRotation.seal(SECRET, HERE);

        assertThat(fresh).startsWith("enc:v2:2026-11:");
        assertThat(afterRotation.open(old, HERE)).isEqualTo(SECRET);
        assertThat(afterRotation.open(fresh, HERE)).isEqualTo(SECRET);
        assertThatThrownBy(() -> cipher.open(fresh, HERE))
                .isInstanceOf(UnreadableSecretException.class)
                .hasMessageContaining("key '2026-11', which is not among the configured");
    }

    @Test
    void resealsOldValuesWithThePrimaryKeyAndLeavesCurrentOnesAlone() throws Exception {
        SecretCipher afterRotation = rotated("2026-11", "2026-11");
        String plain = SECRET;
        String v1 = encryptV1(KEY, SECRET);
        String oldKey = cipher.seal(SECRET, HERE);

        for (String stored : List.of(plain, v1, oldKey)) {
            String resealed = afterRotation.reseal(stored, HERE);
            assertThat(resealed).startsWith("enc:v2:2026-11:");
            assertThat(afterRotation.open(resealed, HERE)).isEqualTo(SECRET);
            assertThat(afterRotation.reseal(resealed, HERE)).isNull();
        }
        assertThat(afterRotation.reseal(null, HERE)).isNull();
    }

    @Test
    void resealingDoesNotLaunderAValueBoundToAnotherRow() {
        String elsewhere = cipher.seal(SECRET, StoredFields.endpointSecret("ep_2"));

        assertThatThrownBy(() -> rotated("2026-11", "2026-11").reseal(elsewhere, HERE))
                .isInstanceOf(UnreadableSecretException.class);
    }

    @Test
    void needsAKeyUnlessPlainTextIsAllowed() {
        assertThatThrownBy(() -> SecretCipher.from(SecretsProperties.singleKey("", false)))
                .hasMessageContaining("hookrelay.secrets.encryption-key");
        assertThatThrownBy(() -> SecretCipher.from(SecretsProperties.singleKey("c2hvcnQ=", false))).hasMessageContaining("32 bytes");
        var plain = SecretCipher.from(SecretsProperties.singleKey("", true));
        assertThat(plain.encrypts()).isFalse();
        assertThat(plain.seal(SECRET, HERE)).isEqualTo(SECRET);
        assertThat(plain.open(SECRET, HERE)).isEqualTo(SECRET);
        assertThatThrownBy(() -> plain.open(cipher.seal(SECRET, HERE), HERE))
                .isInstanceOf(UnreadableSecretException.class)
                .hasMessageContaining("no hookrelay.secrets key is configured");
    }

    @Test
    void refusesAmbiguousOrBrokenKeyConfigurations() {
        var key = new SecretsProperties.Key("a", OTHER_KEY);
        assertThatThrownBy(() -> SecretCipher.from(new SecretsProperties(KEY, List.of(key), "", false)))
                .hasMessageContaining("hookrelay.secrets.primary-key");
        assertThatThrownBy(() -> SecretCipher.from(new SecretsProperties("", List.of(key), "b", false)))
                .hasMessageContaining("'b' is not among");
        assertThatThrownBy(() -> SecretCipher.from(new SecretsProperties("", List.of(key, key), "a", false)))
                .hasMessageContaining("Two hookrelay.secrets keys");
        assertThatThrownBy(() -> SecretCipher.from(
                        new SecretsProperties("", List.of(new SecretsProperties.Key("a:b", OTHER_KEY)), "", false)))
                .hasMessageContaining("keys[0].id");
        assertThat(SecretCipher.from(new SecretsProperties("", List.of(key), "", false)).primaryKeyId()).isEqualTo("a");
    }

    @Test
    void neverShowsAKeyInItsConfigurationText() {
        var properties = new SecretsProperties(KEY, List.of(new SecretsProperties.Key("a", OTHER_KEY)), "a", false);

        assertThat(properties.toString()).doesNotContain(KEY).doesNotContain(OTHER_KEY).contains("a");
    }

    private static SecretCipher rotated(String newId, String primary) {
        return SecretCipher.from(new SecretsProperties(
                KEY, List.of(new SecretsProperties.Key(newId, OTHER_KEY)), primary, false));
    }

    /** What the first format ({@code enc:v1:}) wrote: no key id, no associated data. */
    static String encryptV1(String base64Key, String plain) throws Exception {
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(base64Key), "AES"),
                new GCMParameterSpec(128, nonce));
        byte[] sealed = aes.doFinal(plain.getBytes(StandardCharsets.UTF_8));
        return "enc:v1:" + Base64.getEncoder().encodeToString(
                ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    }
}
