package io.hookrelay.support.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String OTHER_KEY = Base64.getEncoder().encodeToString("another key, 32 bytes long!!!!!!".getBytes());
    private static final String SECRET = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

    private final SecretCipher cipher = SecretCipher.from(new SecretsProperties(KEY, false));

    @Test
    void storesASecretEncryptedAndReadsItBack() {
        String stored = cipher.encrypt(SECRET);

        assertThat(stored).startsWith("enc:v1:").doesNotContain("C2FVsBQIhrsc");
        assertThat(cipher.decrypt(stored)).isEqualTo(SECRET);
    }

    @Test
    void usesAFreshNonceEveryTime() {
        assertThat(cipher.encrypt(SECRET)).isNotEqualTo(cipher.encrypt(SECRET));
    }

    @Test
    void refusesAnAlteredValueOrTheWrongKey() {
        String stored = cipher.encrypt(SECRET);
        char last = stored.charAt(stored.length() - 2);
        String altered = stored.substring(0, stored.length() - 2) + (last == 'A' ? 'B' : 'A') + stored.charAt(stored.length() - 1);

        assertThatThrownBy(() -> cipher.decrypt(altered)).hasMessageContaining("could not be decrypted");
        assertThatThrownBy(() -> SecretCipher.from(new SecretsProperties(OTHER_KEY, false)).decrypt(stored))
                .hasMessageContaining("could not be decrypted");
    }

    @Test
    void readsSecretsStoredBeforeEncryptionAsTheyAre() {
        assertThat(cipher.decrypt(SECRET)).isEqualTo(SECRET);
    }

    @Test
    void needsAKeyUnlessPlainTextIsAllowed() {
        assertThatThrownBy(() -> SecretCipher.from(new SecretsProperties("", false)))
                .hasMessageContaining("hookrelay.secrets.encryption-key");
        assertThatThrownBy(() -> SecretCipher.from(new SecretsProperties("c2hvcnQ=", false))).hasMessageContaining("32 bytes");
        var plain = SecretCipher.from(new SecretsProperties("", true));
        assertThat(plain.encrypts()).isFalse();
        assertThat(plain.encrypt(SECRET)).isEqualTo(SECRET);
    }
}
