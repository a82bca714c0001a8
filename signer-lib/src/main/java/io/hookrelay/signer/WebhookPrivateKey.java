package io.hookrelay.signer;

import java.security.PrivateKey;
import java.util.Arrays;

/**
 * An Ed25519 private key for asymmetric ({@code v1a}) signatures, written
 * {@code whsk_<base64>} where the base64 holds the 32-byte seed.
 *
 * <p>Only the sender holds it; receivers verify with its {@link #publicKey()}. Immutable and
 * thread-safe; {@link #toString()} never shows the key.
 */
public final class WebhookPrivateKey implements SigningKey {

    /** The text prefix, {@value}. */
    public static final String PREFIX = "whsk_";

    private final byte[] seed;
    private final PrivateKey key;
    private final WebhookPublicKey publicKey;

    private WebhookPrivateKey(byte[] seed, byte[] rawPublicKey) {
        this.seed = seed;
        this.key = Ed25519.privateKey(seed);
        this.publicKey = WebhookPublicKey.fromBytes(rawPublicKey);
    }

    /**
     * Reads a key written {@code whsk_<base64>} (prefix optional). The base64 holds the 32-byte
     * seed; the 64-byte form {@code seed || public key} used by libsodium is accepted too when
     * its public half matches the seed.
     *
     * @param text the key's text form
     * @return the key
     * @throws InvalidSecretException if the text is not such a key
     */
    public static WebhookPrivateKey parse(String text) {
        byte[] bytes = KeyText.decode(text, PREFIX, "Ed25519 private key");
        if (bytes.length == Ed25519.KEY_LENGTH) {
            return fromSeed(bytes);
        }
        if (bytes.length == 2 * Ed25519.KEY_LENGTH) {
            byte[] seed = Arrays.copyOf(bytes, Ed25519.KEY_LENGTH);
            WebhookPrivateKey key = fromSeed(seed);
            byte[] given = Arrays.copyOfRange(bytes, Ed25519.KEY_LENGTH, bytes.length);
            if (!Arrays.equals(given, key.publicKey.raw())) {
                throw new InvalidSecretException("Ed25519 private key: public half does not match the seed");
            }
            return key;
        }
        throw new InvalidSecretException("Ed25519 private key must be 32 bytes (or 64 with the public key), got "
                + bytes.length);
    }

    /**
     * A key from its 32-byte seed (copied).
     *
     * @param seed 32 bytes
     * @return the key
     * @throws InvalidSecretException if {@code seed} is null or not 32 bytes
     */
    public static WebhookPrivateKey fromSeed(byte[] seed) {
        if (seed == null || seed.length != Ed25519.KEY_LENGTH) {
            throw new InvalidSecretException("Ed25519 seed must be 32 bytes");
        }
        byte[] copy = seed.clone();
        return new WebhookPrivateKey(copy, Ed25519.publicKeyOf(copy));
    }

    static WebhookPrivateKey of(byte[] seed, byte[] rawPublicKey) {
        return new WebhookPrivateKey(seed, rawPublicKey);
    }

    /**
     * The matching public key, to hand to receivers.
     *
     * @return the public key
     */
    public WebhookPublicKey publicKey() {
        return publicKey;
    }

    /**
     * The key in its text form, for storage.
     *
     * @return {@code whsk_<base64 of the 32-byte seed>}
     */
    public String encoded() {
        return KeyText.encode(PREFIX, seed);
    }

    /** {@return {@code "v1a"}} */
    @Override
    public String version() {
        return "v1a";
    }

    PrivateKey jcaKey() {
        return key;
    }

    /** {@return {@code "WebhookPrivateKey[redacted]"}: never the key} */
    @Override
    public String toString() {
        return "WebhookPrivateKey[redacted]";
    }
}
