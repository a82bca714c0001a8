package io.hookrelay.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebhookSecretTest {

    @Test
    void readsThePrefixedForm() {
        WebhookSecret secret = WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

        assertThat(secret.encoded()).isEqualTo("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertThat(secret.length()).isEqualTo(24);
    }

    @Test
    void readsTheBareBase64FormAndIgnoresSurroundingWhitespace() {
        WebhookSecret secret = WebhookSecret.parse("  MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n");

        assertThat(secret.encoded()).isEqualTo("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    }

    @Test
    void neverShowsTheSecretInToString() {
        WebhookSecret secret = WebhookSecret.generate();

        String shown = secret.toString();

        assertThat(shown).isEqualTo("WebhookSecret[redacted]").doesNotContain(secret.encoded().substring(6));
    }

    @Test
    void rejectsMalformedSecretsWithoutEchoingThem() {
        for (String text : new String[] {null, "", "whsec_", "   ", "whsec_not base64!!", "whsec_%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%"}) {
            assertThatThrownBy(() -> WebhookSecret.parse(text))
                    .as(String.valueOf(text))
                    .isInstanceOf(InvalidSecretException.class)
                    .hasMessageStartingWith("webhook secret");
        }
    }

    @Test
    void rejectsSecretsShorterThan24OrLongerThan64Bytes() {
        String short23 = "whsec_" + Base64.getEncoder().encodeToString(new byte[23]);
        String long65 = "whsec_" + Base64.getEncoder().encodeToString(new byte[65]);

        assertThatThrownBy(() -> WebhookSecret.parse(short23))
                .isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("got 23");
        assertThatThrownBy(() -> WebhookSecret.parse(long65))
                .isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("got 65");
        assertThat(WebhookSecret.fromBytes(new byte[24]).length()).isEqualTo(24);
        assertThat(WebhookSecret.fromBytes(new byte[64]).length()).isEqualTo(64);
    }

    @Test
    void generatesDistinctSecretsOfTheAskedLength() {
        Set<String> seen = new HashSet<>();

        for (int i = 0; i < 100; i++) {
            seen.add(WebhookSecret.generate().encoded());
        }

        assertThat(seen).hasSize(100).allSatisfy(text -> assertThat(text).matches("whsec_[A-Za-z0-9+/]{32}"));
        assertThat(WebhookSecret.generate(64).length()).isEqualTo(64);
        assertThat(WebhookSecret.parse(WebhookSecret.generate(33).encoded()).length()).isEqualTo(33);
    }

    @Test
    void refusesToGenerateSecretsOutsideTheSpecifiedLengths() {
        assertThatThrownBy(() -> WebhookSecret.generate(23)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookSecret.generate(65)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void copiesTheBytesItIsGiven() {
        byte[] key = new byte[32];
        WebhookSecret secret = WebhookSecret.fromBytes(key);
        String before = WebhookSigner.of(secret).sign("msg_1", 1L, new byte[0]);

        key[0] = 1;

        assertThat(WebhookSigner.of(secret).sign("msg_1", 1L, new byte[0])).isEqualTo(before);
    }

    @Test
    void sizesTheMacPoolToAPowerOfTwoBetween4And64() {
        assertThat(HmacSha256.slots(1)).isEqualTo(4);
        assertThat(HmacSha256.slots(2)).isEqualTo(4);
        assertThat(HmacSha256.slots(3)).isEqualTo(8);
        assertThat(HmacSha256.slots(5)).isEqualTo(16);
        assertThat(HmacSha256.slots(16)).isEqualTo(32);
        assertThat(HmacSha256.slots(1000)).isEqualTo(64);
    }
}
