package io.hookrelay.signer;

/**
 * A key that can produce Standard Webhooks signatures: a symmetric {@link WebhookSecret}
 * ({@code v1}) or an Ed25519 {@link WebhookPrivateKey} ({@code v1a}).
 *
 * <p>A {@link WebhookSigner} accepts any mix of them; each key contributes one signature to the
 * {@code webhook-signature} header.
 */
public sealed interface SigningKey permits WebhookSecret, WebhookPrivateKey {

    /**
     * The signature version this key produces.
     *
     * @return {@code "v1"} for a secret, {@code "v1a"} for an Ed25519 private key
     */
    String version();
}
