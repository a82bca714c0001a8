package io.hookrelay.delivery.dispatch;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.hookrelay.signer.WebhookSecret;
import io.hookrelay.signer.WebhookSigner;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * One {@link WebhookSigner} per endpoint secret, kept while in use: a signer holds ready HMAC
 * instances, so reusing it spares the key set-up on every delivery. A rotated secret is simply a
 * new key here; the old entry ages out.
 */
@Component
class Signers {

    private final Cache<String, WebhookSigner> bySecret = Caffeine.newBuilder()
            .maximumSize(50_000)
            .expireAfterAccess(Duration.ofHours(1))
            .build();

    WebhookSigner forSecret(String secret) {
        return bySecret.get(secret, text -> WebhookSigner.of(WebhookSecret.parse(text)));
    }
}
