package io.hookrelay.ingest.message;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long a client waits for the answer to {@code POST /api/v1/app/{app}/msg}.
 *
 * @param deadline the most a message creation waits (on PostgreSQL, mostly) before it is answered
 *     503 with {@code Retry-After}, saying that it may have been accepted; the work goes on and its
 *     outcome is kept for a retry with the same {@code idempotency-key}. Must stay below the
 *     gateway's {@code hookrelay.gateway.downstream.accept-timeout}, or the gateway gives up first
 *     (docs/reliability.md)
 */
@ConfigurationProperties("hookrelay.ingest.accept")
public record AcceptProperties(@DefaultValue("2s") Duration deadline) {

    public AcceptProperties {
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("hookrelay.ingest.accept.deadline must be positive");
        }
    }
}
