package io.hookrelay.support.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts endpoint secrets for storage with AES-256-GCM: a fresh 96-bit nonce per value, the
 * 128-bit tag authenticating it, stored as {@code enc:v1:<base64(nonce || ciphertext)>}. Values
 * without that prefix are read as they are (rows written before encryption, or with
 * {@code allow-unencrypted}), so turning encryption on needs no migration.
 */
public final class SecretCipher {

    static final String PREFIX = "enc:v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private SecretCipher(SecretKeySpec key) {
        this.key = key;
    }

    /** From the configuration; fails with a clear message when no usable key is set and plain text was not allowed. */
    public static SecretCipher from(SecretsProperties properties) {
        String text = properties.encryptionKey().trim();
        if (text.isEmpty()) {
            if (properties.allowUnencrypted()) {
                return new SecretCipher(null);
            }
            throw new IllegalStateException("Set hookrelay.secrets.encryption-key (HOOKRELAY_SECRETS_ENCRYPTION_KEY) to"
                    + " base64 of 32 random bytes, e.g. `openssl rand -base64 32`, or hookrelay.secrets.allow-unencrypted"
                    + "=true for development");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("hookrelay.secrets.encryption-key is not base64");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException("hookrelay.secrets.encryption-key must be 32 bytes (AES-256), got " + bytes.length);
        }
        return new SecretCipher(new SecretKeySpec(bytes, "AES"));
    }

    public boolean encrypts() {
        return key != null;
    }

    public String encrypt(String plain) {
        if (key == null || plain == null) {
            return plain;
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    public String decrypt(String stored) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            return stored;
        }
        if (key == null) {
            throw new IllegalStateException("An encrypted secret was read but no hookrelay.secrets.encryption-key is set");
        }
        try {
            byte[] all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("A stored secret could not be decrypted (wrong key, or the value was altered)", e);
        }
    }
}
