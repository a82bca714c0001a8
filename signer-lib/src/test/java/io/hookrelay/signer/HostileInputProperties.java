package io.hookrelay.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever a sender or an attacker puts in the headers, keys or body, the verifier answers with
 * a {@link RejectionReason} and key parsing with {@link InvalidSecretException}: never another
 * exception.
 */
class HostileInputProperties {

    static final long NOW = 1_700_000_000L;
    static final WebhookKeyPair PAIR = WebhookKeyPair.generate();
    static final WebhookVerifier VERIFIER = WebhookVerifier.of(WebhookSecret.generate(), PAIR.publicKey())
            .withClock(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));

    @Property(tries = 1000)
    void answersAnyHeadersWithAResultNeverAnException(
            @ForAll("maybeNull") String id,
            @ForAll("timestamps") String timestamp,
            @ForAll("signatureHeaders") String signature,
            @ForAll byte[] body) {
        VerificationResult result = VERIFIER.check(new WebhookHeaders(id, timestamp, signature), body);

        assertThat(result).isInstanceOf(RejectedWebhook.class);
    }

    @Property(tries = 500)
    void rejectsAnyTamperingWithASignedBody(@ForAll byte[] body, @ForAll int position, @ForAll byte flip) {
        net.jqwik.api.Assume.that(body.length > 0 && flip != 0);
        WebhookHeaders headers = WebhookSigner.of(PAIR.privateKey()).headers("msg_1", NOW, body);
        byte[] tampered = body.clone();
        tampered[Math.floorMod(position, body.length)] ^= flip;

        VerificationResult original = VERIFIER.check(headers, body);
        VerificationResult changed = VERIFIER.check(headers, tampered);

        assertThat(original).isInstanceOf(VerifiedWebhook.class);
        assertThat(changed).isInstanceOf(RejectedWebhook.class);
    }

    @Property(tries = 1000)
    void parsesAnyKeyTextOrSaysItIsInvalid(@ForAll("keyTexts") String text) {
        assertThatCode(() -> {
            try {
                WebhookSecret.parse(text);
            } catch (InvalidSecretException expected) {
                // fine
            }
            try {
                WebhookPrivateKey.parse(text);
            } catch (InvalidSecretException expected) {
                // fine
            }
            try {
                WebhookPublicKey.parse(text);
            } catch (InvalidSecretException expected) {
                // fine
            }
        }).doesNotThrowAnyException();
    }

    @Provide
    Arbitrary<String> maybeNull() {
        return Arbitraries.strings().injectNull(0.1);
    }

    @Provide
    Arbitrary<String> timestamps() {
        return Arbitraries.oneOf(
                Arbitraries.strings().injectNull(0.05),
                Arbitraries.longs().between(NOW - 400, NOW + 400).map(n -> Long.toString(n)),
                Arbitraries.strings().withCharRange('0', '9').ofMaxLength(25));
    }

    @Provide
    Arbitrary<String> signatureHeaders() {
        Arbitrary<String> versions = Arbitraries.of("v1", "v1a", "v2", "", "V1", "v1,v1");
        Arbitrary<String> values = Arbitraries.oneOf(
                Arbitraries.strings(),
                Arbitraries.strings().withCharRange('A', 'Z').withChars('+', '/', '=').ofLength(44),
                Arbitraries.strings().withCharRange('a', 'z').withChars('+', '/', '=').ofLength(88));
        Arbitrary<String> entry = Combinators.combine(versions, values).as((v, s) -> v + "," + s);
        return Arbitraries.oneOf(
                Arbitraries.strings().injectNull(0.05),
                entry.list().ofMaxSize(40).map(entries -> String.join(" ", entries)));
    }

    @Provide
    Arbitrary<String> keyTexts() {
        Arbitrary<String> base64ish = Arbitraries.strings().withCharRange('A', 'Z').withCharRange('a', 'z')
                .withChars('+', '/', '=', '-', '_', ' ').ofMaxLength(100);
        return Arbitraries.oneOf(
                Arbitraries.strings().injectNull(0.05),
                Combinators.combine(Arbitraries.of("whsec_", "whsk_", "whpk_", ""), base64ish).as(String::concat),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(80)
                        .map(bytes -> java.util.Base64.getEncoder().encodeToString(bytes)));
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
