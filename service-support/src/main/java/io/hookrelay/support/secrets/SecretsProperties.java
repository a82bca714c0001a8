package io.hookrelay.support.secrets;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How endpoint credentials (signing secrets, custom headers) are kept at rest. The same in
 * ingest-service and delivery-service.
 *
 * @param encryptionKey a single key, base64 of 32 random bytes (AES-256), known by the id
 *     {@value SecretCipher#DEFAULT_KEY_ID}; the original setting, still enough when keys never
 *     rotate. Generate one with {@code openssl rand -base64 32}.
 * @param keys keys by id, for rotation: every key listed decrypts; add the new key here, make it
 *     {@code primaryKey}, run the re-encrypt command, then drop the old key
 * @param primaryKey the id of the key that encrypts; may be left empty when exactly one key is set
 * @param allowUnencrypted start without any key and store credentials in plain text (development only)
 */
@ConfigurationProperties("hookrelay.secrets")
public record SecretsProperties(
        @DefaultValue("") String encryptionKey,
        List<Key> keys,
        @DefaultValue("") String primaryKey,
        @DefaultValue("false") boolean allowUnencrypted) {

    public SecretsProperties {
        keys = keys == null ? List.of() : List.copyOf(keys);
    }

    /** The original single-key configuration. */
    public static SecretsProperties singleKey(String encryptionKey, boolean allowUnencrypted) {
        return new SecretsProperties(encryptionKey, List.of(), "", allowUnencrypted);
    }

    /**
     * One encryption key.
     *
     * @param id a short name written into every value it encrypts ({@code enc:v2:<id>:…}): letters,
     *     digits, {@code -} and {@code _}, at most 32; never reuse an id for another key
     * @param key base64 of 32 random bytes
     */
    public record Key(String id, String key) {

        @Override
        public String toString() {
            return "Key[id=" + id + ", key=<redacted>]";
        }
    }

    @Override
    public String toString() {
        return "SecretsProperties[keys=" + keys + ", primaryKey=" + primaryKey + ", allowUnencrypted="
                + allowUnencrypted + "]";
    }
}
