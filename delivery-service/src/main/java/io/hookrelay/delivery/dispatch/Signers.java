package io.hookrelay.delivery.dispatch;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.hookrelay.signer.WebhookSecret;
import io.hookrelay.signer.WebhookSigner;
import java.time.Duration;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * One {@link WebhookSigner} per set of endpoint secrets, kept while in use: a signer holds ready
 * HMAC instances, so reusing it spares the key set-up on every delivery. During a rotation the
 * set holds the new and the old secret and the signature header carries both signatures; after
 * it, the set changes and the old entry ages out.
 */
@Component
class Signers {

    private final Cache<List<String>, WebhookSigner> bySecrets = Caffeine.newBuilder()
            .maximumSize(50_000)
            .expireAfterAccess(Duration.ofHours(1))
            .build();

    WebhookSigner forSecrets(List<String> secrets) {
        return bySecrets.get(secrets, texts -> WebhookSigner.of(texts.stream()
                .map(WebhookSecret::parse)
                .toArray(WebhookSecret[]::new)));
    }
}
