package io.hookrelay.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.standardwebhooks.Webhook;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * Interoperability with the reference Java library {@code com.standardwebhooks:standardwebhooks}
 * over random secrets, ids, timestamps and payloads. The reference library takes the payload as
 * a {@code String} and signs its UTF-8 bytes, so payloads are strings here; the reference
 * verifier reads the system clock, so timestamps it checks stay well inside its 5 minutes.
 */
class ReferenceInteropProperties {

    @Property(tries = 300)
    void signsExactlyWhatTheReferenceLibrarySigns(
            @ForAll("secrets") byte[] secret,
            @ForAll("messageIds") String msgId,
            @ForAll @LongRange(min = 0, max = 99_999_999_999L) long timestamp,
            @ForAll String payload) throws Exception {
        Webhook reference = new Webhook(whsec(secret));
        WebhookSigner signer = WebhookSigner.of(WebhookSecret.fromBytes(secret));

        String ours = signer.sign(msgId, timestamp, payload.getBytes(StandardCharsets.UTF_8));

        assertThat(ours).isEqualTo(reference.sign(msgId, timestamp, payload));
    }

    @Property(tries = 300)
    void verifiesWhatTheReferenceLibrarySigns(
            @ForAll("secrets") byte[] secret,
            @ForAll("messageIds") String msgId,
            @ForAll @LongRange(min = 0, max = 99_999_999_999L) long timestamp,
            @ForAll String payload) throws Exception {
        String signature = new Webhook(whsec(secret)).sign(msgId, timestamp, payload);
        WebhookVerifier verifier = WebhookVerifier.of(WebhookSecret.parse(whsec(secret)))
                .withClock(Clock.fixed(Instant.ofEpochSecond(timestamp), ZoneOffset.UTC));

        VerifiedWebhook verified = verifier.verify(
                new WebhookHeaders(msgId, Long.toString(timestamp), signature), payload);

        assertThat(verified).isEqualTo(new VerifiedWebhook(msgId, timestamp));
    }

    @Property(tries = 300)
    void theReferenceLibraryVerifiesWhatWeSign(
            @ForAll("secrets") byte[] secret,
            @ForAll("messageIds") String msgId,
            @ForAll @IntRange(min = -240, max = 240) int secondsFromNow,
            @ForAll String payload) {
        long timestamp = Instant.now().getEpochSecond() + secondsFromNow;
        WebhookHeaders headers = WebhookSigner.of(WebhookSecret.fromBytes(secret))
                .headers(msgId, timestamp, payload.getBytes(StandardCharsets.UTF_8));

        assertThatCode(() -> new Webhook(whsec(secret)).verify(payload, asReferenceHeaders(headers)))
                .doesNotThrowAnyException();
    }

    @Property(tries = 200)
    void theReferenceLibraryAcceptsEveryRotatedSecret(
            @ForAll @Size(min = 1, max = 4) List<@From("secrets") byte[]> secrets,
            @ForAll("messageIds") String msgId,
            @ForAll String payload) {
        long timestamp = Instant.now().getEpochSecond();
        WebhookSigner signer = WebhookSigner.of(secrets.stream().map(WebhookSecret::fromBytes).toList());
        WebhookHeaders headers = signer.headers(msgId, timestamp, payload.getBytes(StandardCharsets.UTF_8));

        for (byte[] secret : secrets) {
            assertThatCode(() -> new Webhook(whsec(secret)).verify(payload, asReferenceHeaders(headers)))
                    .doesNotThrowAnyException();
        }
    }

    @Property(tries = 200)
    void weRejectWhatTheReferenceLibrarySignedWithAnotherSecret(
            @ForAll("secrets") byte[] secret,
            @ForAll("secrets") byte[] other,
            @ForAll("messageIds") String msgId,
            @ForAll String payload) throws Exception {
        net.jqwik.api.Assume.that(!Arrays.equals(secret, other));
        long timestamp = 1_700_000_000L;
        String signature = new Webhook(whsec(other)).sign(msgId, timestamp, payload);
        WebhookVerifier verifier = WebhookVerifier.of(WebhookSecret.fromBytes(secret))
                .withClock(Clock.fixed(Instant.ofEpochSecond(timestamp), ZoneOffset.UTC));

        VerificationResult result = verifier.check(
                new WebhookHeaders(msgId, Long.toString(timestamp), signature), payload.getBytes(StandardCharsets.UTF_8));

        assertThat(result).isInstanceOfSatisfying(RejectedWebhook.class,
                rejected -> assertThat(rejected.reason()).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE));
    }

    @Provide
    Arbitrary<byte[]> secrets() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(WebhookSecret.MIN_BYTES).ofMaxSize(WebhookSecret.MAX_BYTES);
    }

    @Provide
    Arbitrary<String> messageIds() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
                .withChars('_', '-').ofMinLength(1).ofMaxLength(40).map(id -> "msg_" + id);
    }

    static String whsec(byte[] secret) {
        return "whsec_" + Base64.getEncoder().encodeToString(secret);
    }

    static Map<String, List<String>> asReferenceHeaders(WebhookHeaders headers) {
        return Map.of(
                "webhook-id", List.of(headers.id()),
                "webhook-timestamp", List.of(headers.timestamp()),
                "webhook-signature", List.of(headers.signature()));
    }
}
