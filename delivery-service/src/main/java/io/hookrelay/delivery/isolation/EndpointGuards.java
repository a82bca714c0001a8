package io.hookrelay.delivery.isolation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Each endpoint's bulkhead, circuit breaker and rate limiter, created on demand and evicted when
 * idle (or when the endpoint is deleted, since it then gets no traffic). Instances are not bound
 * to the meter registry: that would make one time series per endpoint.
 */
@Component
public class EndpointGuards {

    private final IsolationProperties properties;
    private final CircuitBreakerConfig circuitBreakerConfig;
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
        this.byEndpoint = Caffeine.newBuilder().expireAfterAccess(properties.idleEviction()).build();
    }

    /**
     * Asks leave to send to {@code endpointId} now. {@code throttleRate} is the endpoint's
     * requests-per-second limit, or null for none.
     */
    public Admission admit(String endpointId, Integer throttleRate) {
        Guards guards = guards(endpointId, throttleRate);
        if (!guards.slots().tryAcquire()) {
            return busy();
        }
        return admitHolding(guards);
    }

    /**
     * As {@link #admit(String, Integer)}, but when the endpoint's bulkhead is full the caller waits
     * its turn for a slot, up to {@code busy-wait} (and only while fewer than
     * {@code max-waiting-per-endpoint} callers wait), before it is deferred as busy.
     */
    public Mono<Admission> admitInTurn(String endpointId, Integer throttleRate) {
        return Mono.defer(() -> {
            Guards guards = guards(endpointId, throttleRate);
            return guards.slots().acquire(properties.busyWait())
                    .map(acquired -> acquired ? admitHolding(guards) : busy());
        });
    }

    /** False when the endpoint has as many attempts in flight and waiting as it may have. */
    public boolean hasRoom(String endpointId) {
        Guards guards = byEndpoint.getIfPresent(endpointId);
        return guards == null || guards.slots().hasRoom();
    }

    /** The endpoints with as many attempts in flight and waiting as they may have, right now. */
    public Set<String> fullEndpoints() {
        return byEndpoint.asMap().entrySet().stream()
                .filter(entry -> !entry.getValue().slots().hasRoom())
                .map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Endpoints whose breaker is open (or half-open, waiting for its trial call), counted when a
     * metric is scraped: one gauge for all endpoints, never a series per endpoint.
     */
    public long openCircuits() {
        return byEndpoint.asMap().values().stream()
                .filter(guards -> guards.circuitBreaker().getState() != CircuitBreaker.State.CLOSED)
                .count();
    }

    private Guards guards(String endpointId, Integer throttleRate) {
        Guards guards = byEndpoint.get(endpointId, id -> new Guards(CircuitBreaker.of(id, circuitBreakerConfig),
                new EndpointSlots(properties.maxConcurrentPerEndpoint(), properties.maxWaitingPerEndpoint()),
                rateLimiter(id, throttleRate)));
        Guards current = guards.withThrottleRate(endpointId, throttleRate, this);
        if (current != guards) {
            byEndpoint.put(endpointId, current);
        }
        return current;
    }

    /** The breaker and the throttle, for a caller that holds one of the endpoint's slots. */
    private Admission admitHolding(Guards guards) {
        if (!guards.circuitBreaker().tryAcquirePermission()) {
            guards.slots().release();
            return new Admission.Deferred(properties.openDuration(), Admission.Reason.CIRCUIT_OPEN);
        }
        if (guards.rateLimiter() != null && !guards.rateLimiter().acquirePermission()) {
            guards.circuitBreaker().releasePermission();
            guards.slots().release();
            return new Admission.Deferred(Duration.ofSeconds(1), Admission.Reason.THROTTLED);
        }
        return new Admission.Admitted(new EndpointPermit(guards.circuitBreaker(), guards.slots()));
    }

    private Admission busy() {
        return new Admission.Deferred(properties.busyDelay(), Admission.Reason.ENDPOINT_BUSY);
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

    private record Guards(CircuitBreaker circuitBreaker, EndpointSlots slots, RateLimiter rateLimiter) {

        /** The same guards, with a rate limiter that matches the endpoint's current throttle rate. */
        Guards withThrottleRate(String endpointId, Integer throttleRate, EndpointGuards factory) {
            int wanted = throttleRate == null ? 0 : throttleRate;
            int current = rateLimiter == null ? 0 : rateLimiter.getRateLimiterConfig().getLimitForPeriod();
            return wanted == current ? this : new Guards(circuitBreaker, slots, factory.rateLimiter(endpointId, throttleRate));
        }
    }
}
