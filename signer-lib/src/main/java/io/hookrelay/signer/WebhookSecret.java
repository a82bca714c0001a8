package io.hookrelay.signer;

import java.security.SecureRandom;

/**
 * A symmetric Standard Webhooks secret: random bytes written {@code whsec_<base64>}, used for
 * HMAC-SHA256 ({@code v1}) signatures by both the sender and the receiver.
 *
 * <p>Length: {@value #MIN_BYTES} to {@value #MAX_BYTES} bytes, as the specification asks.
 * Instances are immutable and thread-safe, and worth keeping: each one keeps a few ready
 * HMAC instances so that signing does not pay the key schedule again. {@link #toString()} never
 * shows the secret; {@link #encoded()} does, for storage.
 */
public final class WebhookSecret implements SigningKey, VerificationKey {

    /** The text prefix, {@value}. */
    public static final String PREFIX = "whsec_";
    /** Shortest accepted secret in bytes (192 bits). */
    public static final int MIN_BYTES = 24;
    /** Longest accepted secret in bytes (512 bits, one HMAC-SHA256 block). */
    public static final int MAX_BYTES = 64;
    /** Length of {@link #generate()}d secrets in bytes. */
    public static final int DEFAULT_BYTES = 24;

    private final byte[] key;
    private final HmacSha256 hmac;

    private WebhookSecret(byte[] key) {
        this.key = key;
        this.hmac = new HmacSha256(key);
    }

    /**
     * Reads a secret written {@code whsec_<base64>}; the bare base64 form is accepted too, and
     * surrounding whitespace (a trailing newline from a file) is ignored.
     *
     * @param text the secret's text form
     * @return the secret
     * @throws InvalidSecretException if the text is null, empty, not base64, or decodes to fewer
     *     than {@value #MIN_BYTES} or more than {@value #MAX_BYTES} bytes
     */
    public static WebhookSecret parse(String text) {
        return fromBytes(KeyText.decode(text, PREFIX, "webhook secret"));
    }

    /**
     * Wraps raw secret bytes (copied).
     *
     * @param key {@value #MIN_BYTES} to {@value #MAX_BYTES} bytes
     * @return the secret
     * @throws InvalidSecretException if the length is out of range or {@code key} is null
     */
    public static WebhookSecret fromBytes(byte[] key) {
        if (key == null) {
            throw new InvalidSecretException("webhook secret is null");
        }
        if (key.length < MIN_BYTES || key.length > MAX_BYTES) {
            throw new InvalidSecretException("webhook secret must be " + MIN_BYTES + " to " + MAX_BYTES
                    + " bytes, got " + key.length);
        }
        return new WebhookSecret(key.clone());
    }

    /**
     * A new random secret of {@value #DEFAULT_BYTES} bytes from {@link SecureRandom}.
     *
     * @return the secret
     */
    public static WebhookSecret generate() {
        return generate(DEFAULT_BYTES);
    }

    /**
     * A new random secret from {@link SecureRandom}.
     *
     * @param bytes {@value #MIN_BYTES} to {@value #MAX_BYTES}
     * @return the secret
     * @throws IllegalArgumentException if {@code bytes} is out of range
     */
    public static WebhookSecret generate(int bytes) {
        if (bytes < MIN_BYTES || bytes > MAX_BYTES) {
            throw new IllegalArgumentException("secret length must be " + MIN_BYTES + " to " + MAX_BYTES
                    + " bytes, got " + bytes);
        }
        byte[] key = new byte[bytes];
        new SecureRandom().nextBytes(key);
        return new WebhookSecret(key);
    }

    /**
     * The secret in its text form, for storage or to show once to its owner.
     *
     * @return {@code whsec_<base64>}
     */
    public String encoded() {
        return KeyText.encode(PREFIX, key);
    }

    /**
     * The secret's length.
     *
     * @return length in bytes
     */
    public int length() {
        return key.length;
    }

    /** {@return {@code "v1"}} */
    @Override
    public String version() {
        return "v1";
    }

    HmacSha256 hmac() {
        return hmac;
    }

    /** {@return {@code "WebhookSecret[redacted]"}: never the secret} */
    @Override
    public String toString() {
        return "WebhookSecret[redacted]";
    }
}
