package io.hookrelay.signer;

/**
 * A key that can check Standard Webhooks signatures: a symmetric {@link WebhookSecret}
 * ({@code v1}) or an Ed25519 {@link WebhookPublicKey} ({@code v1a}).
 *
 * <p>A {@link WebhookVerifier} accepts any mix of them; a message is authentic when one
 * signature in its header matches one of the verifier's keys.
 */
public sealed interface VerificationKey permits WebhookSecret, WebhookPublicKey {

    /**
     * The signature version this key checks; signatures of other versions are ignored by it.
     *
     * @return {@code "v1"} for a secret, {@code "v1a"} for an Ed25519 public key
     */
    String version();
}
