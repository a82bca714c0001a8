package io.hookrelay.gateway.ratelimit;

/**
 * The token-bucket arithmetic, shared by the in-memory limiter and (as the same steps in Lua) the
 * Redis one: a bucket of {@code capacity} tokens refilled continuously at {@code perSecond}.
 */
final class TokenBucket {

    private final long capacity;
    private final double perMilli;
    private double tokens;
    private long updatedAtMillis;

    TokenBucket(long capacity, long perSecond, long nowMillis) {
        this.capacity = capacity;
        this.perMilli = perSecond / 1000.0;
        this.tokens = capacity;
        this.updatedAtMillis = nowMillis;
    }

    synchronized Allowance take(long nowMillis) {
        if (nowMillis > updatedAtMillis) {
            tokens = Math.min(capacity, tokens + (nowMillis - updatedAtMillis) * perMilli);
            updatedAtMillis = nowMillis;
        }
        boolean allowed = tokens >= 1;
        if (allowed) {
            tokens -= 1;
        }
        long retryAfter = allowed ? 0 : (long) Math.ceil((1 - tokens) / perMilli);
        long reset = (long) Math.ceil((capacity - tokens) / perMilli);
        return new Allowance(allowed, capacity, (long) Math.floor(tokens), retryAfter, reset);
    }
}
