package io.hookrelay.signer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class SignatureHeaderTest {

    @Test
    void splitsEntriesOnSpacesAndTabsAndKeepsOnlyVersionCommaValueOnes() {
        SignatureHeader header = SignatureHeader.parse("  v1,abc\tv1a,def==   junk ,x v2, v3,ghi,jkl ");

        assertThat(header.size()).isEqualTo(3);
        assertThat(header.isVersion(0, "v1")).isTrue();
        assertThat(header.value(0)).isEqualTo("abc");
        assertThat(header.isVersion(1, "v1a")).isTrue();
        assertThat(header.isVersion(1, "v1")).isFalse();
        assertThat(header.value(2)).isEqualTo("ghi,jkl");
        assertThat(header.versions()).isEqualTo("v1, v1a, v3");
    }

    @Test
    void comparesValuesExactly() {
        SignatureHeader header = SignatureHeader.parse("v1,abcd");

        assertThat(header.valueEquals(0, bytes("abcd"))).isTrue();
        assertThat(header.valueEquals(0, bytes("abce"))).isFalse();
        assertThat(header.valueEquals(0, bytes("abc"))).isFalse();
        assertThat(header.valueEquals(0, bytes("abcde"))).isFalse();
    }

    @Test
    void considersOnlyTheFirst32Entries() {
        String header = String.join(" ", Collections.nCopies(40, "v1,x"));

        SignatureHeader parsed = SignatureHeader.parse(header);

        assertThat(parsed.size()).isEqualTo(SignatureHeader.MAX_ENTRIES);
    }

    @Test
    void aValidSignatureBeyondThe32ndEntryIsNotLookedAt() {
        WebhookSecret secret = WebhookSecret.generate();
        WebhookHeaders signed = WebhookSigner.of(secret).headers("msg_1", 1_700_000_000L, bytes("{}"));
        String padded = String.join(" ", Collections.nCopies(32, "v2,x")) + " " + signed.signature();
        WebhookVerifier verifier = WebhookVerifier.of(secret).withClock(WebhookVerifierTest.CLOCK);

        VerificationResult result = verifier.check(new WebhookHeaders("msg_1", signed.timestamp(), padded), bytes("{}"));

        assertThat(result).isInstanceOfSatisfying(RejectedWebhook.class,
                rejected -> assertThat(rejected.reason()).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
