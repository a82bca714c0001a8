package io.hookrelay.signer;

import java.security.PublicKey;

/**
 * An Ed25519 public key that verifies asymmetric ({@code v1a}) signatures, written
 * {@code whpk_<base64>} where the base64 holds the 32-byte key. Not secret: safe to publish,
 * log and show. Immutable and thread-safe.
 */
public final class WebhookPublicKey implements VerificationKey {

    /** The text prefix, {@value}. */
    public static final String PREFIX = "whpk_";

    private final byte[] raw;
    private final PublicKey key;

    private WebhookPublicKey(byte[] raw) {
        this.raw = raw;
        this.key = Ed25519.publicKey(raw);
    }

    /**
     * Reads a key written {@code whpk_<base64>} (prefix optional).
     *
     * @param text the key's text form
     * @return the key
     * @throws InvalidSecretException if the text is not a 32-byte key in base64
     */
    public static WebhookPublicKey parse(String text) {
        return fromBytes(KeyText.decode(text, PREFIX, "Ed25519 public key"));
    }

    /**
     * A key from its raw 32 bytes (copied).
     *
     * @param raw 32 bytes
     * @return the key
     * @throws InvalidSecretException if {@code raw} is null or not 32 bytes
     */
    public static WebhookPublicKey fromBytes(byte[] raw) {
        if (raw == null || raw.length != Ed25519.KEY_LENGTH) {
            throw new InvalidSecretException("Ed25519 public key must be 32 bytes, got "
                    + (raw == null ? "null" : raw.length));
        }
        return new WebhookPublicKey(raw.clone());
    }

    /**
     * The key in its text form.
     *
     * @return {@code whpk_<base64>}
     */
    public String encoded() {
        return KeyText.encode(PREFIX, raw);
    }

    /** {@return {@code "v1a"}} */
    @Override
    public String version() {
        return "v1a";
    }

    byte[] raw() {
        return raw.clone();
    }

    PublicKey jcaKey() {
        return key;
    }

    /** {@return the key's text form: a public key is not secret} */
    @Override
    public String toString() {
        return "WebhookPublicKey[" + encoded() + "]";
    }
}
