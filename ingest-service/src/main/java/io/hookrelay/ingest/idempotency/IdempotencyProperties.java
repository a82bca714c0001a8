package io.hookrelay.ingest.idempotency;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code idempotency-key} handling.
 *
 * @param window how long a key's first response is replayed to retries (Svix: 24 h)
 * @param abandonedAfter a key still "in progress" this long after it was taken is given to the
 *     next retry (its first request's process most likely died)
 * @param waitForFirst how long a retry waits for a still-running first request before answering 409
 */
@ConfigurationProperties("hookrelay.idempotency")
public record IdempotencyProperties(
        @DefaultValue("24h") Duration window,
        @DefaultValue("60s") Duration abandonedAfter,
        @DefaultValue("10s") Duration waitForFirst) {}
