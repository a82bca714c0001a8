package io.hookrelay.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class WebhookVerifierTest {

    static final long NOW = 1_700_000_000L;
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
    static final WebhookSecret SECRET = WebhookSecret.parse(SpecVectorsTest.SECRET);
    static final byte[] BODY = "{\"type\":\"invoice.paid\"}".getBytes(StandardCharsets.UTF_8);
    static final WebhookVerifier VERIFIER = WebhookVerifier.of(SECRET).withClock(CLOCK);

    static WebhookHeaders signed(long timestamp, SigningKey... keys) {
        return WebhookSigner.of(keys).headers("msg_1", timestamp, BODY);
    }

    static RejectionReason rejectionOf(WebhookVerifier verifier, WebhookHeaders headers, byte[] body) {
        return catchThrowableOfType(WebhookVerificationException.class, () -> verifier.verify(headers, body))
                .reason();
    }

    @Test
    void acceptsAMessageSignedWithItsSecret() throws Exception {
        WebhookHeaders headers = signed(NOW, SECRET);

        VerifiedWebhook verified = VERIFIER.verify(headers, BODY);

        assertThat(verified.id()).isEqualTo("msg_1");
        assertThat(verified.sentAt()).isEqualTo(Instant.ofEpochSecond(NOW));
    }

    @Test
    void rejectsAChangedBody() {
        WebhookHeaders headers = signed(NOW, SECRET);
        byte[] changed = "{\"type\":\"invoice.paid\" }".getBytes(StandardCharsets.UTF_8);

        RejectionReason reason = rejectionOf(VERIFIER, headers, changed);

        assertThat(reason).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    }

    @Test
    void rejectsAChangedIdOrTimestampBecauseBothAreSigned() {
        WebhookHeaders headers = signed(NOW, SECRET);

        assertThat(rejectionOf(VERIFIER, new WebhookHeaders("msg_2", headers.timestamp(), headers.signature()), BODY))
                .isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
        assertThat(rejectionOf(VERIFIER, new WebhookHeaders("msg_1", "1700000001", headers.signature()), BODY))
                .isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    }

    @Test
    void rejectsASignatureMadeWithAnotherSecret() {
        WebhookHeaders headers = signed(NOW, WebhookSecret.generate());

        RejectionReason reason = rejectionOf(VERIFIER, headers, BODY);

        assertThat(reason).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    }

    @Test
    void rejectsEachMissingHeaderAndNamesIt() {
        WebhookHeaders headers = signed(NOW, SECRET);

        assertThatThrownBy(() -> VERIFIER.verify(new WebhookHeaders(null, headers.timestamp(), headers.signature()), BODY))
                .isInstanceOf(WebhookVerificationException.class)
                .hasMessageContaining("webhook-id");
        assertThatThrownBy(() -> VERIFIER.verify(new WebhookHeaders("msg_1", " ", headers.signature()), BODY))
                .hasMessageContaining("webhook-timestamp");
        assertThatThrownBy(() -> VERIFIER.verify(new WebhookHeaders("msg_1", headers.timestamp(), ""), BODY))
                .hasMessageContaining("webhook-signature");
        assertThat(rejectionOf(VERIFIER, new WebhookHeaders(null, null, null), BODY))
                .isEqualTo(RejectionReason.MISSING_HEADER);
    }

    @Test
    void rejectsATimestampThatIsNotUnixSeconds() {
        String signature = signed(NOW, SECRET).signature();

        for (String timestamp : List.of("abc", "-1700000000", "+1700000000", "1700000000.5", "1.7e9",
                "2023-11-14T22:13:20Z", "99999999999999999999", "１７００")) {
            assertThat(rejectionOf(VERIFIER, new WebhookHeaders("msg_1", timestamp, signature), BODY))
                    .as(timestamp)
                    .isEqualTo(RejectionReason.INVALID_TIMESTAMP);
        }
    }

    @Test
    void acceptsTimestampsUpToTheToleranceEitherWay() throws Exception {
        long tolerance = WebhookVerifier.DEFAULT_TOLERANCE.toSeconds();

        VerifiedWebhook oldest = VERIFIER.verify(signed(NOW - tolerance, SECRET), BODY);
        VerifiedWebhook newest = VERIFIER.verify(signed(NOW + tolerance, SECRET), BODY);

        assertThat(oldest.timestamp()).isEqualTo(NOW - 300);
        assertThat(newest.timestamp()).isEqualTo(NOW + 300);
    }

    @Test
    void rejectsATimestampOneSecondOlderThanTheTolerance() {
        WebhookHeaders headers = signed(NOW - 301, SECRET);

        RejectionReason reason = rejectionOf(VERIFIER, headers, BODY);

        assertThat(reason).isEqualTo(RejectionReason.TIMESTAMP_TOO_OLD);
    }

    @Test
    void rejectsATimestampOneSecondNewerThanTheTolerance() {
        WebhookHeaders headers = signed(NOW + 301, SECRET);

        RejectionReason reason = rejectionOf(VERIFIER, headers, BODY);

        assertThat(reason).isEqualTo(RejectionReason.TIMESTAMP_TOO_NEW);
    }

    @Test
    void checksTheTimestampBeforeTheSignature() {
        WebhookHeaders forgedAndStale = new WebhookHeaders("msg_1", Long.toString(NOW - 3600), "v1,AAAA");

        RejectionReason reason = rejectionOf(VERIFIER, forgedAndStale, BODY);

        assertThat(reason).isEqualTo(RejectionReason.TIMESTAMP_TOO_OLD);
    }

    @Test
    void honoursAConfiguredTolerance() throws Exception {
        WebhookVerifier strict = VERIFIER.withTolerance(Duration.ofSeconds(10));

        VerifiedWebhook inside = strict.verify(signed(NOW - 10, SECRET), BODY);
        RejectionReason outside = rejectionOf(strict, signed(NOW - 11, SECRET), BODY);

        assertThat(inside.timestamp()).isEqualTo(NOW - 10);
        assertThat(outside).isEqualTo(RejectionReason.TIMESTAMP_TOO_OLD);
        assertThat(strict.tolerance()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void rejectsASignatureHeaderWithoutAnyVersionedEntry() {
        for (String signature : List.of("garbage", "v1,", ",abc", "v1 abc", "   ,  ")) {
            assertThat(rejectionOf(VERIFIER, new WebhookHeaders("msg_1", Long.toString(NOW), signature), BODY))
                    .as(signature)
                    .isEqualTo(RejectionReason.MALFORMED_SIGNATURE);
        }
    }

    @Test
    void ignoresUnknownVersionsAndMalformedEntriesNextToAValidSignature() throws Exception {
        String valid = signed(NOW, SECRET).signature();
        String header = "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= junk v1,not-base64!  v1a,AAAA " + valid
                + " v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";

        VerifiedWebhook verified = VERIFIER.verify(new WebhookHeaders("msg_1", Long.toString(NOW), header), BODY);

        assertThat(verified.id()).isEqualTo("msg_1");
    }

    @Test
    void rejectsWhenOnlyUnknownVersionsArePresent() {
        String valid = signed(NOW, SECRET).signature();
        String header = valid.replace("v1,", "v2,");

        RejectionReason reason = rejectionOf(VERIFIER, new WebhookHeaders("msg_1", Long.toString(NOW), header), BODY);

        assertThat(reason).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    }

    @Test
    void acceptsEitherSecretWhileTheSenderRotates() throws Exception {
        WebhookSecret oldSecret = SECRET;
        WebhookSecret newSecret = WebhookSecret.generate();
        WebhookVerifier receiverWithOld = WebhookVerifier.of(oldSecret).withClock(CLOCK);
        WebhookVerifier receiverWithNew = WebhookVerifier.of(newSecret).withClock(CLOCK);
        WebhookHeaders duringRotation = signed(NOW, newSecret, oldSecret);

        VerifiedWebhook byOld = receiverWithOld.verify(duringRotation, BODY);
        VerifiedWebhook byNew = receiverWithNew.verify(duringRotation, BODY);

        assertThat(byOld).isEqualTo(byNew);
    }

    @Test
    void acceptsMessagesFromEitherSecretWhileTheReceiverRotates() throws Exception {
        WebhookSecret newSecret = WebhookSecret.generate();
        WebhookVerifier receiver = WebhookVerifier.of(newSecret, SECRET).withClock(CLOCK);

        VerifiedWebhook fromOldSender = receiver.verify(signed(NOW, SECRET), BODY);
        VerifiedWebhook fromNewSender = receiver.verify(signed(NOW, newSecret), BODY);

        assertThat(fromOldSender).isEqualTo(fromNewSender);
    }

    @Test
    void rejectsTheOldSecretOnceRotationIsOver() {
        WebhookVerifier receiver = WebhookVerifier.of(WebhookSecret.generate()).withClock(CLOCK);

        RejectionReason reason = rejectionOf(receiver, signed(NOW, SECRET), BODY);

        assertThat(reason).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    }

    @Test
    void verifiesAsymmetricSignaturesWithThePublicKeyOnly() throws Exception {
        WebhookKeyPair pair = WebhookKeyPair.generate();
        WebhookVerifier receiver = WebhookVerifier.of(WebhookPublicKey.parse(pair.publicKey().encoded()))
                .withClock(CLOCK);

        VerifiedWebhook verified = receiver.verify(signed(NOW, pair.privateKey()), BODY);
        RejectionReason forged = rejectionOf(receiver, signed(NOW, WebhookKeyPair.generate().privateKey()), BODY);

        assertThat(verified.id()).isEqualTo("msg_1");
        assertThat(forged).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    }

    @Test
    void doesNotAcceptAnHmacSignatureForAPublicKeyOrTheOtherWayRound() {
        WebhookKeyPair pair = WebhookKeyPair.generate();
        WebhookVerifier publicOnly = WebhookVerifier.of(pair.publicKey()).withClock(CLOCK);

        RejectionReason hmacToPublic = rejectionOf(publicOnly, signed(NOW, SECRET), BODY);
        RejectionReason edToSecret = rejectionOf(VERIFIER, signed(NOW, pair.privateKey()), BODY);

        assertThat(hmacToPublic).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
        assertThat(edToSecret).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    }

    @Test
    void verifiesAMixedHeaderWithAMixedKeySet() throws Exception {
        WebhookKeyPair pair = WebhookKeyPair.generate();
        WebhookHeaders headers = signed(NOW, WebhookSecret.generate(), pair.privateKey());
        WebhookVerifier receiver = WebhookVerifier.of(SECRET, pair.publicKey()).withClock(CLOCK);

        VerifiedWebhook verified = receiver.verify(headers, BODY);

        assertThat(verified.id()).isEqualTo("msg_1");
    }

    @Test
    void readsHeadersFromAMapInAnyLetterCase() throws Exception {
        WebhookHeaders headers = signed(NOW, SECRET);
        Map<String, List<String>> received = Map.of(
                "Webhook-Id", List.of(headers.id()),
                "WEBHOOK-TIMESTAMP", List.of(headers.timestamp()),
                "webhook-signature", List.of(headers.signature()));

        VerifiedWebhook verified = VERIFIER.verify(received, BODY);

        assertThat(verified.id()).isEqualTo("msg_1");
    }

    @Test
    void joinsSeveralSignatureHeaderLines() throws Exception {
        WebhookHeaders headers = signed(NOW, SECRET);
        Map<String, List<String>> received = Map.of(
                "webhook-id", List.of(headers.id()),
                "webhook-timestamp", List.of(headers.timestamp()),
                "webhook-signature", List.of("v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=", headers.signature()));

        VerifiedWebhook verified = VERIFIER.verify(received, BODY);

        assertThat(verified.id()).isEqualTo("msg_1");
    }

    @Test
    void acceptsTheSvixHeaderNames() throws Exception {
        WebhookHeaders headers = signed(NOW, SECRET);
        Map<String, String> received = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        received.put("svix-id", headers.id());
        received.put("svix-timestamp", headers.timestamp());
        received.put("svix-signature", headers.signature());

        VerifiedWebhook verified = VERIFIER.verify(received::get, BODY);

        assertThat(verified.id()).isEqualTo("msg_1");
    }

    @Test
    void verifiesAByteBufferAndLeavesItUntouched() throws Exception {
        ByteBuffer buffer = ByteBuffer.allocateDirect(BODY.length).put(BODY).flip();

        VerifiedWebhook verified = VERIFIER.verify(signed(NOW, SECRET), buffer);

        assertThat(verified.id()).isEqualTo("msg_1");
        assertThat(buffer.remaining()).isEqualTo(BODY.length);
    }

    @Test
    void verifiesAStreamedBodyAgainstEverySecretInOnePass() throws Exception {
        byte[] large = new byte[3 * 1024 * 1024 + 1];
        new java.util.Random(1).nextBytes(large);
        WebhookSecret newSecret = WebhookSecret.generate();
        WebhookHeaders headers = WebhookSigner.of(newSecret).headers("msg_1", NOW, large);
        WebhookVerifier receiver = WebhookVerifier.of(SECRET, newSecret).withClock(CLOCK);
        CountingStream stream = new CountingStream(large);

        VerifiedWebhook verified = receiver.verify(headers, stream);

        assertThat(verified.id()).isEqualTo("msg_1");
        assertThat(stream.passes).isEqualTo(1);
    }

    @Test
    void verifiesAStreamedBodyWithAnAsymmetricSignature() throws Exception {
        WebhookKeyPair pair = WebhookKeyPair.generate();
        WebhookHeaders headers = signed(NOW, pair.privateKey());
        WebhookVerifier receiver = WebhookVerifier.of(SECRET, pair.publicKey()).withClock(CLOCK);

        VerifiedWebhook verified = receiver.verify(headers, new ByteArrayInputStream(BODY));

        assertThat(verified.id()).isEqualTo("msg_1");
    }

    @Test
    void doesNotReadTheStreamWhenTheHeadersAreAlreadyWrong() {
        CountingStream stream = new CountingStream(BODY);

        assertThatThrownBy(() -> VERIFIER.verify(new WebhookHeaders("msg_1", "old", "v1,x"), stream))
                .isInstanceOf(WebhookVerificationException.class);
        assertThat(stream.bytesRead).isZero();
    }

    @Test
    void reportsTheOutcomeAsAValueWhenAsked() {
        VerificationResult ok = VERIFIER.check(signed(NOW, SECRET), BODY);
        VerificationResult stale = VERIFIER.check(signed(NOW - 3600, SECRET), BODY);

        assertThat(ok).isEqualTo(new VerifiedWebhook("msg_1", NOW));
        assertThat(stale).isInstanceOfSatisfying(RejectedWebhook.class,
                rejected -> assertThat(rejected.reason()).isEqualTo(RejectionReason.TIMESTAMP_TOO_OLD));
    }

    @Test
    void neverPutsTheExpectedSignatureIntoTheRejection() {
        WebhookHeaders headers = signed(NOW, SECRET);
        String expected = headers.signature().substring(3);

        VerificationResult result = VERIFIER.check(new WebhookHeaders("msg_1", headers.timestamp(), "v1,AAAA"), BODY);

        assertThat(result).isInstanceOfSatisfying(RejectedWebhook.class,
                rejected -> assertThat(rejected.detail()).doesNotContain(expected));
    }

    @Test
    void comparesWithoutBeingFooledByNonAsciiCharactersThatTruncateToTheExpectedOnes() {
        byte[] expected = "AB".getBytes(StandardCharsets.US_ASCII);
        SignatureHeader header = SignatureHeader.parse("v1,\u0141\u0142");

        boolean equal = header.valueEquals(0, expected);

        assertThat(equal).isFalse();
    }

    @Test
    void needsAtLeastOneKeyAndANonNegativeTolerance() {
        assertThatThrownBy(WebhookVerifier::of).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VERIFIER.withTolerance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Counts bytes read and how many times the stream was read to its end. */
    static final class CountingStream extends InputStream {

        private final ByteArrayInputStream delegate;
        long bytesRead;
        int passes;

        CountingStream(byte[] bytes) {
            this.delegate = new ByteArrayInputStream(bytes);
        }

        @Override
        public int read() {
            int b = delegate.read();
            count(b == -1 ? -1 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = delegate.read(buffer, offset, length);
            count(n);
            return n;
        }

        private void count(int n) {
            if (n == -1) {
                passes++;
            } else {
                bytesRead += n;
            }
        }
    }
}
