package io.hookrelay.gateway.ratelimit;

import io.hookrelay.gateway.api.ErrorResponses;
import io.hookrelay.gateway.auth.Identity;
import io.hookrelay.gateway.warmup.WarmUpTraffic;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * One token per authenticated request from the bucket of the token that made it, when that
 * token's class is limited (application tokens by default; organisation tokens only when
 * {@code hookrelay.gateway.rate-limit.organisation} sets a rate). The class comes from the verified
 * {@link Identity}, never from anything the client sends. A limited answer carries
 * {@code RateLimit-Limit}, {@code RateLimit-Remaining} and {@code RateLimit-Reset} (seconds until the
 * bucket is full); a refusal is a 429 with {@code Retry-After}. The gateway's own warm-up takes
 * nothing from any bucket (shared by every replica when it lives in Redis).
 */
@Component
@Order(RateLimitFilter.ORDER)
class RateLimitFilter implements WebFilter {

    static final int ORDER = -150;

    private final RateLimiter limiter;
    private final Rate application;
    private final Rate organisation;
    private final WarmUpTraffic warmUp;

    RateLimitFilter(RateLimiter limiter, RateLimitProperties properties, WarmUpTraffic warmUp) {
        this.limiter = limiter;
        this.warmUp = warmUp;
        this.application = properties.enabled() ? properties.applicationRate() : null;
        this.organisation = properties.enabled() ? properties.organisation().rate().orElse(null) : null;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Identity identity = exchange.getAttribute(Identity.ATTRIBUTE);
        Rate rate = identity == null ? null : identity.isOrganisation() ? organisation : application;
        if (rate == null || warmUp.carries(exchange.getRequest())) {
            return chain.filter(exchange);
        }
        return limiter.take(identity.tokenId(), rate).flatMap(allowance -> {
            HttpHeaders headers = exchange.getResponse().getHeaders();
            headers.set("RateLimit-Limit", Long.toString(allowance.limit()));
            headers.set("RateLimit-Remaining", Long.toString(Math.max(0, allowance.remaining())));
            headers.set("RateLimit-Reset", Long.toString(seconds(allowance.resetMillis())));
            if (allowance.allowed()) {
                return chain.filter(exchange);
            }
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, seconds(allowance.retryAfterMillis()))));
            return ErrorResponses.write(exchange, HttpStatus.TOO_MANY_REQUESTS, "rate_limited",
                    "Too many requests for this token; retry after the time in Retry-After");
        });
    }

    private static long seconds(long millis) {
        return (millis + 999) / 1000;
    }
}
