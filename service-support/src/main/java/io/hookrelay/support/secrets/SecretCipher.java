package io.hookrelay.support.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts endpoint credentials for storage with AES-256-GCM: a fresh 96-bit nonce per value, the
 * 128-bit tag authenticating it and its associated data (the row and column it belongs to, see
 * {@link StoredFields}), stored as {@code enc:v2:<key id>:<base64(nonce || ciphertext)>}. Several
 * keys may be configured: the primary one encrypts, every one decrypts the values written with
 * it, so keys rotate without downtime.
 *
 * <p>When a key is configured, reading is fail-closed: a value without the prefix is refused
 * ({@link UnreadableSecretException}), because nothing proves that we wrote it — whoever can
 * write the table could otherwise choose the secret a webhook is signed with or the headers sent
 * to a receiver. {@link #reseal} is the one path that accepts such values, to migrate them.
 * Values of the first format, {@code enc:v1:<base64>} (no key id, no associated data), are still
 * read, with any configured key.
 */
public final class SecretCipher {

    /** The id of {@code hookrelay.secrets.encryption-key}. */
    public static final String DEFAULT_KEY_ID = "default";

    static final String V1 = "enc:v1:";
    static final String V2 = "enc:v2:";
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final String REENCRYPT_HINT = "run the re-encrypt command once"
            + " (java -jar ingest-service.jar --hookrelay.secrets.reencrypt=true, with the same configuration)";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Map<String, SecretKeySpec> keys;
    private final String primaryId;
    private final SecureRandom random = new SecureRandom();

    private SecretCipher(Map<String, SecretKeySpec> keys, String primaryId) {
        this.keys = keys;
        this.primaryId = primaryId;
    }

    /** From the configuration; fails with a clear message when no usable key is set and plain text was not allowed. */
    public static SecretCipher from(SecretsProperties properties) {
        var keys = new LinkedHashMap<String, SecretKeySpec>();
        if (!properties.encryptionKey().isBlank()) {
            keys.put(DEFAULT_KEY_ID, key("hookrelay.secrets.encryption-key", properties.encryptionKey()));
        }
        for (int i = 0; i < properties.keys().size(); i++) {
            SecretsProperties.Key configured = properties.keys().get(i);
            String name = "hookrelay.secrets.keys[" + i + "]";
            String id = configured.id() == null ? "" : configured.id().trim();
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalStateException(name + ".id must be 1-32 letters, digits, '-' or '_'");
            }
            if (keys.put(id, key(name + ".key", configured.key() == null ? "" : configured.key())) != null) {
                throw new IllegalStateException("Two hookrelay.secrets keys have the id '" + id + "'");
            }
        }
        if (keys.isEmpty()) {
            if (properties.allowUnencrypted()) {
                return new SecretCipher(Map.of(), null);
            }
            throw new IllegalStateException("Set hookrelay.secrets.encryption-key (HOOKRELAY_SECRETS_ENCRYPTION_KEY) to"
                    + " base64 of 32 random bytes, e.g. `openssl rand -base64 32`, or hookrelay.secrets.keys with"
                    + " hookrelay.secrets.primary-key, or hookrelay.secrets.allow-unencrypted=true for development");
        }
        return new SecretCipher(Map.copyOf(keys), primary(properties.primaryKey().trim(), keys));
    }

    private static String primary(String configured, Map<String, SecretKeySpec> keys) {
        if (configured.isEmpty()) {
            if (keys.size() == 1) {
                return keys.keySet().iterator().next();
            }
            throw new IllegalStateException("Several hookrelay.secrets keys are set: name the one that encrypts"
                    + " with hookrelay.secrets.primary-key (one of " + keys.keySet() + ")");
        }
        if (!keys.containsKey(configured)) {
            throw new IllegalStateException("hookrelay.secrets.primary-key '" + configured + "' is not among the"
                    + " configured keys " + keys.keySet());
        }
        return configured;
    }

    private static SecretKeySpec key(String property, String text) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(property + " is not base64");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException(property + " must be 32 bytes (AES-256), got " + bytes.length);
        }
        return new SecretKeySpec(bytes, "AES");
    }

    public boolean encrypts() {
        return primaryId != null;
    }

    /** The id of the key that encrypts; null when values are stored in plain text (development). */
    public String primaryKeyId() {
        return primaryId;
    }

    /** {@code plain} as stored for {@code context} ({@link StoredFields}); unchanged when no key is set. */
    public String seal(String plain, String context) {
        if (primaryId == null || plain == null) {
            return plain;
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(primaryId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return V2 + primaryId + ":" + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * The plain value of what was stored for {@code context}.
     *
     * @throws UnreadableSecretException when it is not encrypted although a key is configured, its
     *     key is not configured, it belongs to another row or column, or it was altered
     */
    public String open(String stored, String context) {
        if (stored == null) {
            return null;
        }
        if (!stored.startsWith(V1) && !stored.startsWith(V2)) {
            if (encrypts()) {
                throw new UnreadableSecretException(context, "stored without encryption although"
                        + " hookrelay.secrets keys are configured, so it is not used; if it was written before"
                        + " encryption was turned on, " + REENCRYPT_HINT, null);
            }
            return stored;
        }
        return decrypt(stored, context);
    }

    /**
     * What should be stored instead of {@code stored} so that it is encrypted with the primary key
     * and bound to {@code context}; null when it already is (or is null). The one reader that
     * accepts values without the prefix: they are the ones this migrates.
     */
    public String reseal(String stored, String context) {
        if (stored == null || primaryId == null || stored.startsWith(V2 + primaryId + ":")) {
            return null;
        }
        boolean encrypted = stored.startsWith(V1) || stored.startsWith(V2);
        return seal(encrypted ? decrypt(stored, context) : stored, context);
    }

    private String decrypt(String stored, String context) {
        if (keys.isEmpty()) {
            throw new UnreadableSecretException(context, "stored encrypted, but no hookrelay.secrets key is"
                    + " configured", null);
        }
        if (stored.startsWith(V1)) {
            return decryptV1(stored.substring(V1.length()), context);
        }
        String rest = stored.substring(V2.length());
        int colon = rest.indexOf(':');
        String keyId = colon < 0 ? "" : rest.substring(0, colon);
        SecretKeySpec key = keys.get(keyId);
        if (key == null) {
            throw new UnreadableSecretException(context, "encrypted with key '" + keyId + "', which is not among"
                    + " the configured hookrelay.secrets keys " + keys.keySet(), null);
        }
        try {
            return new String(aesGcm(key, Base64.getDecoder().decode(rest.substring(colon + 1)), context),
                    StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new UnreadableSecretException(context, "could not be decrypted with key '" + keyId + "': it was"
                    + " altered or written for another row or column", e);
        }
    }

    /** The first format had no key id and no associated data: whichever configured key opens it wrote it. */
    private String decryptV1(String base64, String context) {
        byte[] all;
        try {
            all = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new UnreadableSecretException(context, "is not valid base64", e);
        }
        var candidates = new ArrayList<SecretKeySpec>();
        if (keys.containsKey(DEFAULT_KEY_ID)) {
            candidates.add(keys.get(DEFAULT_KEY_ID));
        }
        keys.forEach((id, key) -> {
            if (!id.equals(DEFAULT_KEY_ID)) {
                candidates.add(key);
            }
        });
        for (SecretKeySpec key : candidates) {
            try {
                return new String(aesGcm(key, all, null), StandardCharsets.UTF_8);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // not this key: GCM's tag tells, try the next
            }
        }
        throw new UnreadableSecretException(context, "(format v1) could not be decrypted with any configured key:"
                + " the key that wrote it is missing, or it was altered", null);
    }

    private static byte[] aesGcm(SecretKeySpec key, byte[] all, String context) throws GeneralSecurityException {
        if (all.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new GeneralSecurityException("too short");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
        if (context != null) {
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        }
        return cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
    }
}
