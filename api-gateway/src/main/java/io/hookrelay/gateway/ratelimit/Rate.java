package io.hookrelay.gateway.ratelimit;

import java.time.Duration;

/**
 * One class of tokens' limit: a bucket of {@code burst} tokens refilled at {@code requestsPerSecond}.
 *
 * @param requestsPerSecond the steady rate a token may keep up
 * @param burst how many requests a token may make at once after being idle (the bucket's size)
 */
public record Rate(int requestsPerSecond, int burst) {

    public Rate {
        if (requestsPerSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("a rate limit needs requests-per-second and burst of at least 1");
        }
    }

    /** How long an empty bucket takes to be full again. */
    Duration refill() {
        return Duration.ofMillis((long) Math.ceil(burst * 1000.0 / requestsPerSecond));
    }
}
