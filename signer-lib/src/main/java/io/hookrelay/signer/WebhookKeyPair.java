package io.hookrelay.signer;

/**
 * An Ed25519 key pair for asymmetric ({@code v1a}) signatures: the sender signs with the
 * private key, receivers verify with the public one.
 *
 * @param privateKey the {@code whsk_} key the sender keeps
 * @param publicKey the {@code whpk_} key receivers are given
 */
public record WebhookKeyPair(WebhookPrivateKey privateKey, WebhookPublicKey publicKey) {

    /**
     * Checks both keys are present.
     *
     * @param privateKey the private key
     * @param publicKey the public key
     */
    public WebhookKeyPair {
        if (privateKey == null || publicKey == null) {
            throw new NullPointerException("both keys are required");
        }
    }

    /**
     * A new random key pair from the JDK's Ed25519 generator.
     *
     * @return the pair
     */
    public static WebhookKeyPair generate() {
        byte[][] pair = Ed25519.generate();
        WebhookPrivateKey privateKey = WebhookPrivateKey.of(pair[0], pair[1]);
        return new WebhookKeyPair(privateKey, privateKey.publicKey());
    }
}
