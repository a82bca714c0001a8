package io.hookrelay.signer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Fixed vectors from the Standard Webhooks repository's reference test suites
 * (libraries/go/webhook_test.go {@code TestWebhookSign} and webhook_asymmetric_test.go
 * {@code TestAsymmetricWebhookSign}), which every reference library reproduces.
 */
class SpecVectorsTest {

    static final String MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long TIMESTAMP = 1614265330L;
    static final byte[] PAYLOAD = "{\"test\": 2432232314}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String V1_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    static final String ED25519_SEED = "VEVTVFNJR05JTkdLRVlET05PVFVTRVRISVNGT1JBTlk=";
    static final String V1A_SIGNATURE =
            "v1a,tQ9V2XOqn7jL/DQenEFpqIugdBVtiMmER5mhSkXBNwM0mkATuDe6KYYUuxqtaiHeYGb7KaaBRdM5WqyeFiL8Ag==";

    static final Clock AT_SIGNING_TIME = Clock.fixed(Instant.ofEpochSecond(TIMESTAMP), ZoneOffset.UTC);

    @Test
    void signsTheSpecificationsSymmetricExample() {
        WebhookSigner signer = WebhookSigner.of(WebhookSecret.parse(SECRET));

        String signature = signer.sign(MSG_ID, TIMESTAMP, PAYLOAD);

        assertThat(signature).isEqualTo(V1_SIGNATURE);
    }

    @Test
    void signsTheSpecificationsSymmetricExampleWithTheBareBase64Secret() {
        WebhookSigner signer = WebhookSigner.of(WebhookSecret.parse(SECRET.substring("whsec_".length())));

        String signature = signer.sign(MSG_ID, TIMESTAMP, PAYLOAD);

        assertThat(signature).isEqualTo(V1_SIGNATURE);
    }

    @Test
    void verifiesTheSpecificationsSymmetricExample() throws Exception {
        WebhookVerifier verifier = WebhookVerifier.of(WebhookSecret.parse(SECRET)).withClock(AT_SIGNING_TIME);

        VerifiedWebhook verified = verifier.verify(MSG_ID, Long.toString(TIMESTAMP), V1_SIGNATURE, PAYLOAD);

        assertThat(verified).isEqualTo(new VerifiedWebhook(MSG_ID, TIMESTAMP));
    }

    @Test
    void signsTheSpecificationsAsymmetricExample() {
        WebhookSigner signer = WebhookSigner.of(WebhookPrivateKey.parse(ED25519_SEED));

        String signature = signer.sign(MSG_ID, TIMESTAMP, PAYLOAD);

        assertThat(signature).isEqualTo(V1A_SIGNATURE);
    }

    @Test
    void verifiesTheSpecificationsAsymmetricExampleWithTheDerivedPublicKey() throws Exception {
        WebhookPublicKey publicKey = WebhookPrivateKey.parse("whsk_" + ED25519_SEED).publicKey();
        WebhookVerifier verifier = WebhookVerifier.of(WebhookPublicKey.parse(publicKey.encoded()))
                .withClock(AT_SIGNING_TIME);

        VerifiedWebhook verified = verifier.verify(MSG_ID, Long.toString(TIMESTAMP), V1A_SIGNATURE, PAYLOAD);

        assertThat(verified.id()).isEqualTo(MSG_ID);
    }
}
