package io.hookrelay.gateway.ratelimit;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Per-token rate limits (a token bucket per token).
 *
 * @param enabled off disables limiting altogether
 * @param requestsPerSecond the steady rate a token may keep up
 * @param burst how many requests a token may make at once after being idle (the bucket's size)
 * @param redisUri when set ({@code redis://host:port}, with a password
 *     {@code redis://:password@host:port}, TLS {@code rediss://}), buckets live in Redis so every
 *     gateway replica draws from the same ones; otherwise each replica keeps its own in memory.
 *     Never logged with its password
 * @param redisTimeout how long to wait for Redis before letting the request through (limits fail
 *     open: an unavailable Redis must not take the API down)
 */
@ConfigurationProperties("hookrelay.gateway.rate-limit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("50") int requestsPerSecond,
        @DefaultValue("100") int burst,
        URI redisUri,
        @DefaultValue("250ms") Duration redisTimeout) {

    public RateLimitProperties {
        if (requestsPerSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("hookrelay.gateway.rate-limit: requests-per-second and burst must be at least 1");
        }
    }

    @Override
    public String toString() {
        return "RateLimitProperties[enabled=" + enabled + ", requestsPerSecond=" + requestsPerSecond + ", burst=" + burst
                + ", redisUri=" + Redacted.uri(redisUri) + ", redisTimeout=" + redisTimeout + "]";
    }
}
