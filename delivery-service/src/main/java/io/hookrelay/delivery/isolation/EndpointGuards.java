package io.hookrelay.delivery.isolation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Each endpoint's bulkhead, circuit breaker and rate limiter, created on demand and evicted when
 * idle (or when the endpoint is deleted, since it then gets no traffic). Instances are not bound
 * to the meter registry: that would make one time series per endpoint.
 */
@Component
public class EndpointGuards {

    private final IsolationProperties properties;
    private final CircuitBreakerConfig circuitBreakerConfig;
    private final BulkheadConfig bulkheadConfig;
    private final Cache<String, Guards> byEndpoint;

    public EndpointGuards(IsolationProperties properties) {
        this.properties = properties;
        this.circuitBreakerConfig = CircuitBreakerConfig.custom()
                .failureRateThreshold(properties.failureRateThreshold())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(properties.slidingWindowSize())
                .minimumNumberOfCalls(properties.minimumNumberOfCalls())
                .waitDurationInOpenState(properties.openDuration())
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .writableStackTraceEnabled(false)
                .build();
        this.bulkheadConfig = BulkheadConfig.custom()
                .maxConcurrentCalls(properties.maxConcurrentPerEndpoint())
                .maxWaitDuration(Duration.ZERO)
                .writableStackTraceEnabled(false)
                .build();
        this.byEndpoint = Caffeine.newBuilder().expireAfterAccess(properties.idleEviction()).build();
    }

    /**
     * Asks leave to send to {@code endpointId} now. {@code throttleRate} is the endpoint's
     * requests-per-second limit, or null for none.
     */
    public Admission admit(String endpointId, Integer throttleRate) {
        Guards guards = byEndpoint.get(endpointId, id -> new Guards(
                CircuitBreaker.of(id, circuitBreakerConfig), Bulkhead.of(id, bulkheadConfig), rateLimiter(id, throttleRate)));
        guards = guards.withThrottleRate(endpointId, throttleRate, this);
        byEndpoint.put(endpointId, guards);
        if (!guards.circuitBreaker().tryAcquirePermission()) {
            return new Admission.Deferred(properties.openDuration(), Admission.Reason.CIRCUIT_OPEN);
        }
        if (guards.rateLimiter() != null && !guards.rateLimiter().acquirePermission()) {
            guards.circuitBreaker().releasePermission();
            return new Admission.Deferred(Duration.ofSeconds(1), Admission.Reason.THROTTLED);
        }
        if (!guards.bulkhead().tryAcquirePermission()) {
            guards.circuitBreaker().releasePermission();
            return new Admission.Deferred(properties.busyDelay(), Admission.Reason.ENDPOINT_BUSY);
        }
        return new Admission.Admitted(new EndpointPermit(guards.circuitBreaker(), guards.bulkhead()));
    }

    RateLimiter rateLimiter(String endpointId, Integer throttleRate) {
        if (throttleRate == null || throttleRate <= 0) {
            return null;
        }
        return RateLimiter.of(endpointId, RateLimiterConfig.custom()
                .limitForPeriod(throttleRate)
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO)
                .writableStackTraceEnabled(false)
                .build());
    }

    private record Guards(CircuitBreaker circuitBreaker, Bulkhead bulkhead, RateLimiter rateLimiter) {

        /** The same guards, with a rate limiter that matches the endpoint's current throttle rate. */
        Guards withThrottleRate(String endpointId, Integer throttleRate, EndpointGuards factory) {
            int wanted = throttleRate == null ? 0 : throttleRate;
            int current = rateLimiter == null ? 0 : rateLimiter.getRateLimiterConfig().getLimitForPeriod();
            return wanted == current ? this : new Guards(circuitBreaker, bulkhead, factory.rateLimiter(endpointId, throttleRate));
        }
    }
}
