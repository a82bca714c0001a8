package io.hookrelay.signer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;

/**
 * Produces the {@code webhook-signature} header value for a message.
 *
 * <pre>{@code
 * WebhookSigner signer = WebhookSigner.of(WebhookSecret.parse(endpoint.secret()));
 * String signature = signer.sign("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", Instant.now().getEpochSecond(), body);
 * // "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="
 * }</pre>
 *
 * <p>Signs {@code {msgId}.{timestamp}.{body}}: HMAC-SHA256 ({@code v1}) with each
 * {@link WebhookSecret}, Ed25519 ({@code v1a}) with each {@link WebhookPrivateKey}, in the order
 * the keys were given, space-separated. Give the new and the old secret during a rotation so that
 * receivers holding either one accept the message.
 *
 * <p>Immutable and thread-safe: build one per endpoint (or per secret) and reuse it. The body is
 * never copied or base64-encoded; large bodies can be streamed.
 */
public final class WebhookSigner {

    private static final int STREAM_CHUNK = 16 * 1024;

    private final SigningKey[] keys;

    private WebhookSigner(SigningKey[] keys) {
        this.keys = keys;
    }

    /**
     * A signer for one or more keys. Several keys produce several signatures (rotation).
     *
     * @param keys at least one key, none null
     * @return the signer
     * @throws IllegalArgumentException if no key is given
     */
    public static WebhookSigner of(SigningKey... keys) {
        return of(List.of(keys));
    }

    /**
     * A signer for one or more keys. Several keys produce several signatures (rotation).
     *
     * @param keys at least one key, none null
     * @return the signer
     * @throws IllegalArgumentException if the list is empty
     */
    public static WebhookSigner of(List<? extends SigningKey> keys) {
        SigningKey[] copy = keys.toArray(SigningKey[]::new);
        if (copy.length == 0) {
            throw new IllegalArgumentException("at least one signing key is required");
        }
        for (SigningKey key : copy) {
            Objects.requireNonNull(key, "signing key");
        }
        return new WebhookSigner(copy);
    }

    /**
     * The {@code webhook-signature} value for a message.
     *
     * @param msgId the {@code webhook-id}: non-empty printable ASCII without {@code '.'} or spaces
     *     (a dot would make {@code id.timestamp.body} ambiguous, as the specification warns)
     * @param timestampSeconds the {@code webhook-timestamp}, Unix seconds, not negative
     * @param body the exact bytes that will be sent
     * @return {@code "v1,<base64>"}, or several such values separated by spaces
     * @throws IllegalArgumentException if the id or the timestamp is not acceptable
     */
    public String sign(String msgId, long timestampSeconds, byte[] body) {
        return sign(SignedContent.prefix(checkedId(msgId), checkedTimestamp(timestampSeconds)),
                new Body.Bytes(Objects.requireNonNull(body, "body")));
    }

    /**
     * The {@code webhook-signature} value for a text body, signed as its UTF-8 bytes.
     *
     * @param msgId as for {@link #sign(String, long, byte[])}
     * @param timestampSeconds as for {@link #sign(String, long, byte[])}
     * @param body the body text; it must be sent UTF-8 encoded
     * @return the header value
     */
    public String sign(String msgId, long timestampSeconds, String body) {
        return sign(msgId, timestampSeconds, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The {@code webhook-signature} value for the bytes between the buffer's position and
     * limit; the buffer itself (position, limit) is left unchanged. Direct buffers are fine.
     *
     * @param msgId as for {@link #sign(String, long, byte[])}
     * @param timestampSeconds as for {@link #sign(String, long, byte[])}
     * @param body the body
     * @return the header value
     */
    public String sign(String msgId, long timestampSeconds, ByteBuffer body) {
        return sign(SignedContent.prefix(checkedId(msgId), checkedTimestamp(timestampSeconds)),
                new Body.Buffer(Objects.requireNonNull(body, "body")));
    }

    /**
     * The {@code webhook-signature} value for a body read to its end from a stream, in one pass
     * for all keys and in fixed-size chunks, so a large body is never held in memory for
     * {@code v1} (the JDK's Ed25519 buffers the message for {@code v1a}). The stream is not
     * closed.
     *
     * @param msgId as for {@link #sign(String, long, byte[])}
     * @param timestampSeconds as for {@link #sign(String, long, byte[])}
     * @param body the body
     * @return the header value
     * @throws IOException if reading the stream fails
     */
    public String sign(String msgId, long timestampSeconds, InputStream body) throws IOException {
        byte[] prefix = SignedContent.prefix(checkedId(msgId), checkedTimestamp(timestampSeconds));
        Objects.requireNonNull(body, "body");
        Digest[] digests = new Digest[keys.length];
        for (int i = 0; i < keys.length; i++) {
            digests[i] = Digest.start(keys[i], prefix);
        }
        byte[] chunk = new byte[STREAM_CHUNK];
        for (int n = body.read(chunk); n != -1; n = body.read(chunk)) {
            for (Digest digest : digests) {
                digest.update(chunk, n);
            }
        }
        StringBuilder header = new StringBuilder(keys.length * 92);
        for (Digest digest : digests) {
            header.append(header.isEmpty() ? "" : " ").append(digest.finish());
        }
        return header.toString();
    }

    /**
     * All three headers for a message, ready to set on a request.
     *
     * @param msgId as for {@link #sign(String, long, byte[])}
     * @param timestampSeconds as for {@link #sign(String, long, byte[])}
     * @param body the exact bytes that will be sent
     * @return {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature}
     */
    public WebhookHeaders headers(String msgId, long timestampSeconds, byte[] body) {
        return new WebhookHeaders(msgId, Long.toString(timestampSeconds), sign(msgId, timestampSeconds, body));
    }

    private String sign(byte[] prefix, Body body) {
        if (keys.length == 1) {
            return signature(keys[0], prefix, body);
        }
        StringBuilder header = new StringBuilder(keys.length * 92);
        for (SigningKey key : keys) {
            header.append(header.isEmpty() ? "" : " ").append(signature(key, prefix, body));
        }
        return header.toString();
    }

    private static String signature(SigningKey key, byte[] prefix, Body body) {
        return switch (key) {
            case WebhookSecret secret -> format("v1", secret.hmac().mac(prefix, body));
            case WebhookPrivateKey privateKey -> format("v1a", Ed25519.sign(privateKey.jcaKey(), prefix, body));
        };
    }

    private static String format(String version, byte[] signature) {
        return version + ',' + Base64.getEncoder().encodeToString(signature);
    }

    static String checkedId(String msgId) {
        Objects.requireNonNull(msgId, "msgId");
        if (msgId.isEmpty()) {
            throw new IllegalArgumentException("message id is empty");
        }
        for (int i = 0; i < msgId.length(); i++) {
            char c = msgId.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '.') {
                throw new IllegalArgumentException(
                        "message id must be printable ASCII without '.' or spaces, got char " + (int) c + " at " + i);
            }
        }
        return msgId;
    }

    private static long checkedTimestamp(long timestampSeconds) {
        if (timestampSeconds < 0) {
            throw new IllegalArgumentException("timestamp must not be negative: " + timestampSeconds);
        }
        return timestampSeconds;
    }

    /** One key's signature in progress over a streamed body. */
    private sealed interface Digest {

        void update(byte[] chunk, int length);

        String finish();

        static Digest start(SigningKey key, byte[] prefix) {
            Digest digest = switch (key) {
                case WebhookSecret secret -> new Hmac(secret.hmac(), secret.hmac().acquire());
                case WebhookPrivateKey privateKey -> new Ed(Ed25519.signer(privateKey.jcaKey()));
            };
            digest.update(prefix, prefix.length);
            return digest;
        }

        record Hmac(HmacSha256 pool, Mac mac) implements Digest {

            @Override
            public void update(byte[] chunk, int length) {
                mac.update(chunk, 0, length);
            }

            @Override
            public String finish() {
                byte[] signature = mac.doFinal();
                pool.release(mac);
                return format("v1", signature);
            }
        }

        record Ed(Signature signature) implements Digest {

            @Override
            public void update(byte[] chunk, int length) {
                try {
                    signature.update(chunk, 0, length);
                } catch (SignatureException e) {
                    throw new IllegalStateException("Ed25519 signature not initialised", e);
                }
            }

            @Override
            public String finish() {
                try {
                    return format("v1a", signature.sign());
                } catch (SignatureException e) {
                    throw new IllegalStateException("Ed25519 signing failed", e);
                }
            }
        }
    }
}
