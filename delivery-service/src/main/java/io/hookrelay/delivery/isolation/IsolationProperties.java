package io.hookrelay.delivery.isolation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Per-endpoint protections, so one slow, failing or rate-limited receiver never delays the
 * others. Each endpoint gets its own bulkhead, circuit breaker and (with a {@code throttleRate})
 * rate limiter, created on first use and dropped after {@code idleEviction} without traffic.
 *
 * @param maxConcurrentPerEndpoint requests in flight to one endpoint; more wait their turn (up to
 *     {@code maxWaitingPerEndpoint}, for {@code busyWait}), then are deferred
 * @param failureRateThreshold percentage of retryable failures that opens the circuit
 * @param slidingWindowSize attempts the failure rate is computed over
 * @param minimumNumberOfCalls attempts before the failure rate counts
 * @param openDuration how long an open circuit defers deliveries before trying one again
 * @param busyDelay how long a delivery is deferred when the endpoint's bulkhead is full
 * @param idleEviction how long an endpoint's protections are kept without traffic
 * @param busyWait how long a delivery waits its turn for a slot of a busy endpoint (first come,
 *     first served) before it is deferred by {@code busyDelay}; a slot is in use for a round trip
 *     only, so while a backlog drains one comes free within milliseconds
 * @param maxWaitingPerEndpoint deliveries that may wait for one endpoint's slots at once; more
 *     are deferred at once, and the consumer hands the endpoint nothing more meanwhile
 */
@ConfigurationProperties("hookrelay.delivery.isolation")
public record IsolationProperties(
        @DefaultValue("20") int maxConcurrentPerEndpoint,
        @DefaultValue("50") float failureRateThreshold,
        @DefaultValue("20") int slidingWindowSize,
        @DefaultValue("10") int minimumNumberOfCalls,
        @DefaultValue("30s") Duration openDuration,
        @DefaultValue("2s") Duration busyDelay,
        @DefaultValue("10m") Duration idleEviction,
        @DefaultValue("1s") Duration busyWait,
        @DefaultValue("100") int maxWaitingPerEndpoint) {

    public IsolationProperties {
        if (busyWait == null) {
            busyWait = Duration.ofSeconds(1);
        }
    }
}
