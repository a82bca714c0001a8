package io.hookrelay.gateway.ratelimit;

/**
 * A limiter's answer for one request.
 *
 * @param allowed the request may proceed (a token was taken)
 * @param limit the bucket's size
 * @param remaining whole tokens left after this request
 * @param retryAfterMillis when refused, how long until a token is there again
 * @param resetMillis how long until the bucket is full again
 */
public record Allowance(boolean allowed, long limit, long remaining, long retryAfterMillis, long resetMillis) {}
