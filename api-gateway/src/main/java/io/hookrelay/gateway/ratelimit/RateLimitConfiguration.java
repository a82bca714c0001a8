package io.hookrelay.gateway.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** In-memory buckets unless a Redis URI is configured (the Redis one is closed with the context). */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

    @Bean
    RateLimiter rateLimiter(RateLimitProperties properties, Clock clock, MeterRegistry meters) {
        return properties.redisUri() == null
                ? new InMemoryRateLimiter(properties, clock)
                : new RedisRateLimiter(properties, meters);
    }
}
