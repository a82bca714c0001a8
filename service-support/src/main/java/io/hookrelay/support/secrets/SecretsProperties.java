package io.hookrelay.support.secrets;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How endpoint signing secrets are kept at rest.
 *
 * @param encryptionKey base64 of 32 random bytes (AES-256), the same for ingest-service and
 *     delivery-service; from a Kubernetes secret in production. Generate one with
 *     {@code openssl rand -base64 32}.
 * @param allowUnencrypted start without a key and store secrets in plain text (development only)
 */
@ConfigurationProperties("hookrelay.secrets")
public record SecretsProperties(@DefaultValue("") String encryptionKey, @DefaultValue("false") boolean allowUnencrypted) {}
