package io.hookrelay.gateway.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.hookrelay.gateway.api.ErrorResponses;
import io.hookrelay.gateway.api.GatewayException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * A circuit breaker per service (per route): when a service keeps failing — unreachable, or
 * answering 502/503/504 — its breaker opens and the gateway answers 503 with
 * {@code Retry-After} at once instead of queueing clients behind a dead service. Other answers,
 * 4xx included, are the service working normally.
 */
@Component
class DownstreamCircuitBreakers implements GlobalFilter, Ordered {

    private final CircuitBreakerRegistry breakers;
    private final Duration openFor;

    DownstreamCircuitBreakers(DownstreamProperties properties) {
        this.openFor = properties.openFor();
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(properties.failureRateThreshold())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(properties.slidingWindow())
                .minimumNumberOfCalls(properties.minimumCalls())
                .waitDurationInOpenState(properties.openFor())
                .permittedNumberOfCallsInHalfOpenState(3)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build());
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        if (route == null) {
            return chain.filter(exchange);
        }
        CircuitBreaker breaker = breakers.circuitBreaker(route.getId());
        if (!breaker.tryAcquirePermission()) {
            exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, openFor.toSeconds())));
            return ErrorResponses.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable",
                    "The " + route.getId() + " service is failing; retry shortly");
        }
        long start = System.nanoTime();
        return chain.filter(exchange)
                .doOnSuccess(done -> {
                    long elapsed = System.nanoTime() - start;
                    var status = exchange.getResponse().getStatusCode();
                    if (status != null && (status.value() == 502 || status.value() == 503 || status.value() == 504)) {
                        breaker.onError(elapsed, TimeUnit.NANOSECONDS, new IllegalStateException("status " + status.value()));
                    } else {
                        breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
                    }
                })
                .doOnError(error -> {
                    if (error instanceof GatewayException || timedOut(error)) {
                        // a body too large is the client's fault; a timeout may be too (a client trickling
                        // its body runs down the same clock), so neither may open the breaker for everyone
                        breaker.releasePermission();
                    } else {
                        breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, error);
                    }
                })
                .doOnCancel(breaker::releasePermission);
    }

    private static boolean timedOut(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.util.concurrent.TimeoutException
                    || (cause instanceof org.springframework.web.server.ResponseStatusException e && e.getStatusCode().value() == 504)) {
                return true;
            }
        }
        return false;
    }

    CircuitBreaker.State state(String routeId) {
        return breakers.circuitBreaker(routeId).getState();
    }

    /** Around the routing filter, after the gateway's own header filters. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 100;
    }
}
