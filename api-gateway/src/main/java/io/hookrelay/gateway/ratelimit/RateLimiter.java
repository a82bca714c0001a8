package io.hookrelay.gateway.ratelimit;

import reactor.core.publisher.Mono;

/** Takes one token from the bucket named by {@code key}, a bucket of the given {@link Rate}. */
public interface RateLimiter {

    Mono<Allowance> take(String key, Rate rate);
}
