package io.hookrelay.signer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** v1a round trips: what a private key signs, its derived public key verifies. */
class Ed25519Properties {

    @Property(tries = 100)
    void thePublicKeyDerivedFromAnySeedVerifiesWhatTheSeedSigns(
            @ForAll("seeds") byte[] seed, @ForAll byte[] body) throws Exception {
        WebhookPrivateKey privateKey = WebhookPrivateKey.fromSeed(seed);
        WebhookHeaders headers = WebhookSigner.of(privateKey).headers("msg_1", 1_700_000_000L, body);
        WebhookVerifier verifier = WebhookVerifier.of(WebhookPublicKey.parse(privateKey.publicKey().encoded()))
                .withClock(Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC));

        VerifiedWebhook verified = verifier.verify(headers, body);

        assertThat(verified.id()).isEqualTo("msg_1");
    }

    @Provide
    Arbitrary<byte[]> seeds() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32);
    }
}
