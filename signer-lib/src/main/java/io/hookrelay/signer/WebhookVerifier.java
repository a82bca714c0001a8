package io.hookrelay.signer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import javax.crypto.Mac;

/**
 * Checks that a received webhook is authentic and fresh.
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.of(WebhookSecret.parse(System.getenv("WEBHOOK_SECRET")));
 * try {
 *     VerifiedWebhook webhook = verifier.verify(request::getHeader, rawBody);
 *     // process; webhook.id() is stable across retries
 * } catch (WebhookVerificationException e) {
 *     // answer 400 or 401; e.reason() says why
 * }
 * }</pre>
 *
 * <p>A message passes when all three headers are present, its timestamp is within the tolerance
 * (default {@link #DEFAULT_TOLERANCE five minutes}, both directions) of the clock, and one of the
 * signatures in {@code webhook-signature} matches one of the keys: {@code v1} signatures are
 * checked against every {@link WebhookSecret}, {@code v1a} against every
 * {@link WebhookPublicKey}; other versions are ignored. HMACs are compared in constant time.
 * Every failure is a {@link RejectionReason}; no input makes it throw anything else (apart from
 * {@link NullPointerException} for a null body or header source, and {@link IOException} from a
 * failing stream).
 *
 * <p>Give it both the new and the old key while a sender rotates secrets. Immutable and
 * thread-safe: build one and share it.
 */
public final class WebhookVerifier {

    /** Five minutes, as the specification recommends. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final int STREAM_CHUNK = 16 * 1024;

    private final VerificationKey[] keys;
    private final long toleranceSeconds;
    private final Clock clock;

    private WebhookVerifier(VerificationKey[] keys, long toleranceSeconds, Clock clock) {
        this.keys = keys;
        this.toleranceSeconds = toleranceSeconds;
        this.clock = clock;
    }

    /**
     * A verifier accepting signatures by any of the keys, with the default tolerance and the
     * system clock.
     *
     * @param keys at least one key, none null
     * @return the verifier
     * @throws IllegalArgumentException if no key is given
     */
    public static WebhookVerifier of(VerificationKey... keys) {
        return of(List.of(keys));
    }

    /**
     * A verifier accepting signatures by any of the keys, with the default tolerance and the
     * system clock.
     *
     * @param keys at least one key, none null
     * @return the verifier
     * @throws IllegalArgumentException if the list is empty
     */
    public static WebhookVerifier of(List<? extends VerificationKey> keys) {
        VerificationKey[] copy = keys.toArray(VerificationKey[]::new);
        if (copy.length == 0) {
            throw new IllegalArgumentException("at least one verification key is required");
        }
        for (VerificationKey key : copy) {
            Objects.requireNonNull(key, "verification key");
        }
        return new WebhookVerifier(copy, DEFAULT_TOLERANCE.toSeconds(), Clock.systemUTC());
    }

    /**
     * The same verifier with another tolerance window.
     *
     * @param tolerance how far (whole seconds) the timestamp may be from now, either way; not negative
     * @return a new verifier
     */
    public WebhookVerifier withTolerance(Duration tolerance) {
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("tolerance must not be negative: " + tolerance);
        }
        return new WebhookVerifier(keys, tolerance.toSeconds(), clock);
    }

    /**
     * The same verifier reading "now" from another clock (tests, replays).
     *
     * @param clock the clock
     * @return a new verifier
     */
    public WebhookVerifier withClock(Clock clock) {
        return new WebhookVerifier(keys, toleranceSeconds, Objects.requireNonNull(clock, "clock"));
    }

    /** {@return the tolerance window} */
    public Duration tolerance() {
        return Duration.ofSeconds(toleranceSeconds);
    }

    /**
     * Verifies a message.
     *
     * @param headers the received header values
     * @param body the raw body bytes, exactly as received (do not re-serialise parsed JSON)
     * @return the verified message's id and timestamp
     * @throws WebhookVerificationException if the message is not authentic or not fresh
     */
    public VerifiedWebhook verify(WebhookHeaders headers, byte[] body) throws WebhookVerificationException {
        return orThrow(check(headers, body));
    }

    /**
     * Verifies a message whose body is a string, checked as its UTF-8 bytes. Prefer the
     * {@code byte[]} form when the raw bytes are at hand.
     *
     * @param headers the received header values
     * @param body the body as received
     * @return the verified message's id and timestamp
     * @throws WebhookVerificationException if the message is not authentic or not fresh
     */
    public VerifiedWebhook verify(WebhookHeaders headers, String body) throws WebhookVerificationException {
        return verify(headers, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Verifies a message whose body lies between the buffer's position and limit; the buffer is
     * left unchanged.
     *
     * @param headers the received header values
     * @param body the raw body
     * @return the verified message's id and timestamp
     * @throws WebhookVerificationException if the message is not authentic or not fresh
     */
    public VerifiedWebhook verify(WebhookHeaders headers, ByteBuffer body) throws WebhookVerificationException {
        return orThrow(check(headers, body));
    }

    /**
     * Verifies a message whose body is read to its end from a stream. For {@code v1} the stream
     * is read once in fixed-size chunks for all secrets, never held whole in memory; when a
     * {@code v1a} signature must be checked the body is read into memory, as Ed25519 needs the
     * whole message anyway. The stream is not closed; it is not read at all when the headers
     * are already wrong.
     *
     * @param headers the received header values
     * @param body the raw body
     * @return the verified message's id and timestamp
     * @throws WebhookVerificationException if the message is not authentic or not fresh
     * @throws IOException if reading the stream fails
     */
    public VerifiedWebhook verify(WebhookHeaders headers, InputStream body)
            throws WebhookVerificationException, IOException {
        Objects.requireNonNull(body, "body");
        Candidates candidates = orThrow(precheck(headers));
        if (candidates.signatures().has("v1a") && hasKey(WebhookPublicKey.class)) {
            return orThrow(match(candidates, new Body.Bytes(body.readAllBytes()), null));
        }
        byte[][] macs = candidates.signatures().has("v1") && hasKey(WebhookSecret.class)
                ? hmacAll(candidates.prefix(), body)
                : null;
        return orThrow(match(candidates, null, macs));
    }

    /**
     * Verifies a message, reading the headers by name: {@code request::getHeader} (Servlet),
     * {@code headers::getFirst} (Spring {@code HttpHeaders}). The {@code svix-} names are
     * accepted where the {@code webhook-} ones are absent.
     *
     * @param header returns a header's value by name, or {@code null}
     * @param body the raw body bytes
     * @return the verified message's id and timestamp
     * @throws WebhookVerificationException if the message is not authentic or not fresh
     */
    public VerifiedWebhook verify(Function<String, String> header, byte[] body) throws WebhookVerificationException {
        return verify(WebhookHeaders.from(header), body);
    }

    /**
     * Verifies a message, reading the headers from a map with any letter case.
     *
     * @param headers header names to values
     * @param body the raw body bytes
     * @return the verified message's id and timestamp
     * @throws WebhookVerificationException if the message is not authentic or not fresh
     */
    public VerifiedWebhook verify(Map<String, ? extends Collection<String>> headers, byte[] body)
            throws WebhookVerificationException {
        return verify(WebhookHeaders.from(headers), body);
    }

    /**
     * Verifies a message from the three header values.
     *
     * @param id the {@code webhook-id} value
     * @param timestamp the {@code webhook-timestamp} value
     * @param signature the {@code webhook-signature} value
     * @param body the raw body bytes
     * @return the verified message's id and timestamp
     * @throws WebhookVerificationException if the message is not authentic or not fresh
     */
    public VerifiedWebhook verify(String id, String timestamp, String signature, byte[] body)
            throws WebhookVerificationException {
        return verify(new WebhookHeaders(id, timestamp, signature), body);
    }

    /**
     * Checks a message and returns the outcome as a value instead of throwing.
     *
     * @param headers the received header values
     * @param body the raw body bytes
     * @return {@link VerifiedWebhook} or {@link RejectedWebhook}
     */
    public VerificationResult check(WebhookHeaders headers, byte[] body) {
        return check(headers, new Body.Bytes(Objects.requireNonNull(body, "body")));
    }

    /**
     * Checks a message whose body lies between the buffer's position and limit, returning the
     * outcome as a value; the buffer is left unchanged.
     *
     * @param headers the received header values
     * @param body the raw body
     * @return {@link VerifiedWebhook} or {@link RejectedWebhook}
     */
    public VerificationResult check(WebhookHeaders headers, ByteBuffer body) {
        return check(headers, new Body.Buffer(Objects.requireNonNull(body, "body")));
    }

    private VerificationResult check(WebhookHeaders headers, Body body) {
        return switch (precheck(headers)) {
            case Rejected(RejectedWebhook rejection) -> rejection;
            case Candidates candidates -> match(candidates, body, null);
        };
    }

    private sealed interface Precheck {
    }

    private record Rejected(RejectedWebhook rejection) implements Precheck {
    }

    private record Candidates(String id, long timestamp, byte[] prefix, SignatureHeader signatures)
            implements Precheck {
    }

    /** Everything that does not need the body: headers present, timestamp fresh, entries well-formed. */
    private Precheck precheck(WebhookHeaders headers) {
        Objects.requireNonNull(headers, "headers");
        if (isBlank(headers.id()) || isBlank(headers.timestamp()) || isBlank(headers.signature())) {
            return reject(RejectionReason.MISSING_HEADER, "missing " + missing(headers));
        }
        long timestamp = parseSeconds(headers.timestamp().strip());
        if (timestamp < 0) {
            return reject(RejectionReason.INVALID_TIMESTAMP, "webhook-timestamp is not Unix seconds");
        }
        long now = Math.floorDiv(clock.millis(), 1000L);
        if (now - timestamp > toleranceSeconds) {
            return reject(RejectionReason.TIMESTAMP_TOO_OLD, "timestamp " + timestamp + " is " + (now - timestamp)
                    + " s before now, tolerance " + toleranceSeconds + " s");
        }
        if (timestamp - now > toleranceSeconds) {
            return reject(RejectionReason.TIMESTAMP_TOO_NEW, "timestamp " + timestamp + " is " + (timestamp - now)
                    + " s after now, tolerance " + toleranceSeconds + " s");
        }
        SignatureHeader signatures = SignatureHeader.parse(headers.signature());
        if (signatures.size() == 0) {
            return reject(RejectionReason.MALFORMED_SIGNATURE, "webhook-signature has no version,signature entry");
        }
        String id = headers.id();
        return new Candidates(id, timestamp, SignedContent.prefix(id, timestamp), signatures);
    }

    /**
     * Tries every key against the entries of its version. {@code body} is null when the stream
     * path already computed the HMACs ({@code macs}, one per secret in key order).
     */
    private VerificationResult match(Candidates candidates, Body body, byte[][] macs) {
        SignatureHeader signatures = candidates.signatures();
        boolean anyV1 = signatures.has("v1");
        boolean anyV1a = signatures.has("v1a");
        int secretIndex = 0;
        for (VerificationKey key : keys) {
            boolean matched = switch (key) {
                case WebhookSecret secret when anyV1 -> matchesV1(
                        macs != null ? macs[secretIndex] : secret.hmac().mac(candidates.prefix(), body), signatures);
                case WebhookPublicKey publicKey when anyV1a && body != null ->
                        matchesV1a(publicKey, candidates.prefix(), body, signatures);
                default -> false;
            };
            if (matched) {
                return new VerifiedWebhook(candidates.id(), candidates.timestamp());
            }
            if (key instanceof WebhookSecret) {
                secretIndex++;
            }
        }
        return new RejectedWebhook(RejectionReason.NO_MATCHING_SIGNATURE, "no signature matched a known key ("
                + signatures.size() + " given, versions: " + signatures.versions() + ")");
    }

    private static boolean matchesV1(byte[] mac, SignatureHeader signatures) {
        byte[] expected = Base64.getEncoder().encode(mac);
        for (int entry = 0; entry < signatures.size(); entry++) {
            if (signatures.isVersion(entry, "v1") && signatures.valueEquals(entry, expected)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesV1a(WebhookPublicKey key, byte[] prefix, Body body, SignatureHeader signatures) {
        for (int entry = 0; entry < signatures.size(); entry++) {
            if (signatures.isVersion(entry, "v1a")) {
                byte[] signature = decodeOrNull(signatures.value(entry));
                if (signature != null && Ed25519.verify(key.jcaKey(), prefix, body, signature)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** One pass over the stream, feeding every secret's Mac. */
    private byte[][] hmacAll(byte[] prefix, InputStream body) throws IOException {
        List<WebhookSecret> secrets = new ArrayList<>(keys.length);
        for (VerificationKey key : keys) {
            if (key instanceof WebhookSecret secret) {
                secrets.add(secret);
            }
        }
        Mac[] macs = new Mac[secrets.size()];
        for (int i = 0; i < macs.length; i++) {
            macs[i] = secrets.get(i).hmac().acquire();
            macs[i].update(prefix);
        }
        byte[] chunk = new byte[STREAM_CHUNK];
        for (int n = body.read(chunk); n != -1; n = body.read(chunk)) {
            for (Mac mac : macs) {
                mac.update(chunk, 0, n);
            }
        }
        byte[][] results = new byte[macs.length][];
        for (int i = 0; i < macs.length; i++) {
            results[i] = macs[i].doFinal();
            secrets.get(i).hmac().release(macs[i]);
        }
        return results;
    }

    private boolean hasKey(Class<? extends VerificationKey> type) {
        for (VerificationKey key : keys) {
            if (type.isInstance(key)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] decodeOrNull(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Unix seconds: 1 to 18 ASCII digits, no sign; -1 otherwise. */
    static long parseSeconds(String text) {
        if (text.isEmpty() || text.length() > 18) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static String missing(WebhookHeaders headers) {
        List<String> missing = new ArrayList<>(3);
        if (isBlank(headers.id())) {
            missing.add(WebhookHeaders.ID);
        }
        if (isBlank(headers.timestamp())) {
            missing.add(WebhookHeaders.TIMESTAMP);
        }
        if (isBlank(headers.signature())) {
            missing.add(WebhookHeaders.SIGNATURE);
        }
        return String.join(", ", missing);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static Rejected reject(RejectionReason reason, String detail) {
        return new Rejected(new RejectedWebhook(reason, detail));
    }

    private static Candidates orThrow(Precheck precheck) throws WebhookVerificationException {
        return switch (precheck) {
            case Rejected(RejectedWebhook rejection) -> throw rejection.toException();
            case Candidates candidates -> candidates;
        };
    }

    private static VerifiedWebhook orThrow(VerificationResult result) throws WebhookVerificationException {
        return switch (result) {
            case VerifiedWebhook verified -> verified;
            case RejectedWebhook rejected -> throw rejected.toException();
        };
    }
}
