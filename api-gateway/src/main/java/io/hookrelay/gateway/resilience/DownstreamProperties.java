package io.hookrelay.gateway.resilience;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the gateway treats the services behind it (each gets its own circuit breaker).
 *
 * @param connectTimeout how long to wait for a connection to a service
 * @param responseTimeout how long to wait for a service's response headers
 * @param acceptTimeout how long a message creation waits for ingest-service's answer: above ingest's
 *     accept deadline, by which ingest answers itself, and below what a client should wait; then
 *     503 with Retry-After, "may have been accepted" ({@code MessageCreationTimeout})
 * @param failureRateThreshold percentage of failed calls (unreachable, timed out, 502/503/504)
 *     that opens a service's breaker
 * @param slidingWindow how many recent calls the rate is computed over
 * @param minimumCalls calls needed before the rate counts
 * @param openFor how long an open breaker answers 503 at once before letting trial calls through.
 *     Short on purpose: it is also how long clients keep getting 503s after the service is back
 *     (a restarted ingest-service was refused for up to 10 s with the former default), while a
 *     service that is still down costs only a fast refused connection per trial call
 */
@ConfigurationProperties("hookrelay.gateway.downstream")
public record DownstreamProperties(
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("30s") Duration responseTimeout,
        @DefaultValue("4s") Duration acceptTimeout,
        @DefaultValue("50") float failureRateThreshold,
        @DefaultValue("20") int slidingWindow,
        @DefaultValue("10") int minimumCalls,
        @DefaultValue("2s") Duration openFor) {

    public DownstreamProperties {
        if (acceptTimeout.isNegative() || acceptTimeout.isZero() || acceptTimeout.compareTo(responseTimeout) > 0) {
            throw new IllegalArgumentException("hookrelay.gateway.downstream.accept-timeout (" + acceptTimeout
                    + ") must be positive and at most response-timeout (" + responseTimeout + ")");
        }
    }
}
