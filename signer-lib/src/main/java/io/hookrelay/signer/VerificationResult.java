package io.hookrelay.signer;

/**
 * The outcome of {@link WebhookVerifier#check}: {@link VerifiedWebhook} or
 * {@link RejectedWebhook}, for callers that prefer a value to an exception, e.g.
 * <pre>{@code
 * switch (verifier.check(headers, body)) {
 *     case VerifiedWebhook ok -> handle(ok.id(), body);
 *     case RejectedWebhook no -> log.warn("rejected: {}", no.reason());
 * }
 * }</pre>
 */
public sealed interface VerificationResult permits VerifiedWebhook, RejectedWebhook {
}
