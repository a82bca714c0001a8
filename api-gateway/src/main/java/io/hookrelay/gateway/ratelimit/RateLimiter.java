package io.hookrelay.gateway.ratelimit;

import reactor.core.publisher.Mono;

/** Takes one token from the bucket named by {@code key}, if there is one. */
public interface RateLimiter {

    Mono<Allowance> take(String key);
}
