package io.hookrelay.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class Ed25519KeysTest {

    @Test
    void generatesAKeyPairWhoseTextFormsReadBack() {
        WebhookKeyPair pair = WebhookKeyPair.generate();

        WebhookPrivateKey privateKey = WebhookPrivateKey.parse(pair.privateKey().encoded());
        WebhookPublicKey publicKey = WebhookPublicKey.parse(pair.publicKey().encoded());

        assertThat(pair.privateKey().encoded()).matches("whsk_[A-Za-z0-9+/]{43}=");
        assertThat(pair.publicKey().encoded()).matches("whpk_[A-Za-z0-9+/]{43}=");
        assertThat(privateKey.publicKey().encoded()).isEqualTo(publicKey.encoded());
    }

    @Test
    void derivesThePublicKeyFromTheSeedLikeTheJdkGenerator() {
        WebhookKeyPair pair = WebhookKeyPair.generate();

        WebhookPrivateKey reread = WebhookPrivateKey.parse(pair.privateKey().encoded());

        assertThat(reread.publicKey().encoded()).isEqualTo(pair.publicKey().encoded());
    }

    @Test
    void readsThe64ByteSeedAndPublicKeyForm() {
        WebhookKeyPair pair = WebhookKeyPair.generate();
        byte[] seed = Base64.getDecoder().decode(pair.privateKey().encoded().substring(5));
        byte[] full = new byte[64];
        System.arraycopy(seed, 0, full, 0, 32);
        System.arraycopy(pair.publicKey().raw(), 0, full, 32, 32);

        WebhookPrivateKey key = WebhookPrivateKey.parse("whsk_" + Base64.getEncoder().encodeToString(full));

        assertThat(key.encoded()).isEqualTo(pair.privateKey().encoded());
    }

    @Test
    void rejectsA64ByteFormWhosePublicHalfDoesNotMatch() {
        byte[] full = new byte[64];
        full[40] = 1;

        assertThatThrownBy(() -> WebhookPrivateKey.parse(Base64.getEncoder().encodeToString(full)))
                .isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void rejectsKeysOfTheWrongLengthOrEncoding() {
        assertThatThrownBy(() -> WebhookPrivateKey.parse("whsk_" + Base64.getEncoder().encodeToString(new byte[31])))
                .isInstanceOf(InvalidSecretException.class);
        assertThatThrownBy(() -> WebhookPublicKey.parse("whpk_" + Base64.getEncoder().encodeToString(new byte[33])))
                .isInstanceOf(InvalidSecretException.class);
        assertThatThrownBy(() -> WebhookPublicKey.parse("whpk_***")).isInstanceOf(InvalidSecretException.class);
        assertThatThrownBy(() -> WebhookPrivateKey.parse(null)).isInstanceOf(InvalidSecretException.class);
    }

    @Test
    void showsThePublicKeyButNeverThePrivateOne() {
        WebhookKeyPair pair = WebhookKeyPair.generate();

        assertThat(pair.privateKey().toString()).isEqualTo("WebhookPrivateKey[redacted]");
        assertThat(pair.toString()).doesNotContain(pair.privateKey().encoded().substring(5));
        assertThat(pair.publicKey().toString()).contains(pair.publicKey().encoded());
    }

    @Test
    void namesTheVersionEachKeyProducesOrChecks() {
        WebhookKeyPair pair = WebhookKeyPair.generate();

        assertThat(WebhookSecret.generate().version()).isEqualTo("v1");
        assertThat(pair.privateKey().version()).isEqualTo("v1a");
        assertThat(pair.publicKey().version()).isEqualTo("v1a");
    }
}
