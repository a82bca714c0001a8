/**
 * Standard Webhooks signing and verification for the JVM, with no dependency beyond the JDK.
 *
 * <p>Symmetric {@code v1} signatures (HMAC-SHA256 with a {@code whsec_} secret) and asymmetric
 * {@code v1a} signatures (Ed25519 with {@code whsk_}/{@code whpk_} keys). Start with
 * {@link io.hookrelay.signer.WebhookSigner} on the sending side and
 * {@link io.hookrelay.signer.WebhookVerifier} on the receiving side. The jar's main class is a
 * small command line ({@code java -jar signer-lib.jar help}).
 */
module io.hookrelay.signer {
    exports io.hookrelay.signer;
}
