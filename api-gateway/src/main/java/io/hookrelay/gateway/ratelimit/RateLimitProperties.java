package io.hookrelay.gateway.ratelimit;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Per-token rate limits (a token bucket per token). They protect the shared front door from any one
 * application's token; an organisation token belongs to the operator's own backend, whose volume is
 * the platform's volume, so it is not limited unless {@code organisation} says so.
 *
 * @param enabled off disables limiting altogether
 * @param requestsPerSecond the steady rate an application token may keep up
 * @param burst how many requests an application token may make at once after being idle (the bucket's size)
 * @param organisation the limit of organisation tokens (the admin token included); none by default
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
        @DefaultValue Organisation organisation,
        URI redisUri,
        @DefaultValue("250ms") Duration redisTimeout) {

    /**
     * @param requestsPerSecond the steady rate an organisation token may keep up; 0 (the default):
     *     organisation tokens are not limited
     * @param burst the bucket's size; 0 (the default): twice {@code requestsPerSecond}
     */
    public record Organisation(@DefaultValue("0") int requestsPerSecond, @DefaultValue("0") int burst) {

        public Organisation {
            if (requestsPerSecond < 0 || burst < 0) {
                throw new IllegalArgumentException(
                        "hookrelay.gateway.rate-limit.organisation: requests-per-second and burst must not be negative");
            }
        }

        public static Organisation unlimited() {
            return new Organisation(0, 0);
        }

        Optional<Rate> rate() {
            if (requestsPerSecond == 0) {
                return Optional.empty();
            }
            return Optional.of(new Rate(requestsPerSecond, burst == 0 ? 2 * requestsPerSecond : burst));
        }
    }

    public RateLimitProperties {
        if (requestsPerSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("hookrelay.gateway.rate-limit: requests-per-second and burst must be at least 1");
        }
        organisation = organisation == null ? Organisation.unlimited() : organisation;
    }

    Rate applicationRate() {
        return new Rate(requestsPerSecond, burst);
    }

    /** The longest an idle bucket of any class takes to refill (after that it may be forgotten). */
    Duration longestRefill() {
        Duration application = applicationRate().refill();
        return organisation.rate().map(Rate::refill).filter(o -> o.compareTo(application) > 0).orElse(application);
    }

    @Override
    public String toString() {
        return "RateLimitProperties[enabled=" + enabled + ", requestsPerSecond=" + requestsPerSecond + ", burst=" + burst
                + ", organisation=" + organisation + ", redisUri=" + Redacted.uri(redisUri)
                + ", redisTimeout=" + redisTimeout + "]";
    }
}
