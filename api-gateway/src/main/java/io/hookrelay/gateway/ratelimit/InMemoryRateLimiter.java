package io.hookrelay.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import reactor.core.publisher.Mono;

/**
 * Buckets in this replica's memory. A bucket idle long enough to be full again is dropped: a new
 * one starts full, so forgetting it changes nothing.
 */
final class InMemoryRateLimiter implements RateLimiter {

    private final Clock clock;
    private final Cache<String, TokenBucket> buckets;

    InMemoryRateLimiter(RateLimitProperties properties, Clock clock) {
        this.clock = clock;
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(properties.longestRefill().plusSeconds(1))
                .maximumSize(1_000_000)
                .build();
    }

    @Override
    public Mono<Allowance> take(String key, Rate rate) {
        long now = clock.millis();
        var bucket = buckets.get(key, k -> new TokenBucket(rate.burst(), rate.requestsPerSecond(), now));
        return Mono.just(bucket.take(now));
    }
}
