package io.hookrelay.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * Buckets in this replica's memory. A bucket idle long enough to be full again is dropped: a new
 * one starts full, so forgetting it changes nothing.
 */
final class InMemoryRateLimiter implements RateLimiter {

    private final RateLimitProperties properties;
    private final Clock clock;
    private final Cache<String, TokenBucket> buckets;

    InMemoryRateLimiter(RateLimitProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        long refillMillis = (long) Math.ceil(properties.burst() * 1000.0 / properties.requestsPerSecond());
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(Duration.ofMillis(refillMillis).plusSeconds(1))
                .maximumSize(1_000_000)
                .build();
    }

    @Override
    public Mono<Allowance> take(String key) {
        long now = clock.millis();
        var bucket = buckets.get(key, k -> new TokenBucket(properties.burst(), properties.requestsPerSecond(), now));
        return Mono.just(bucket.take(now));
    }
}
