package io.hookrelay.delivery.dispatch;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How webhooks are sent.
 *
 * @param connectTimeout time allowed to open a connection
 * @param requestTimeout time allowed for the whole exchange, connect included
 * @param maxResponseBodyBytes response bytes read and stored with the attempt; the rest is discarded
 * @param maxConnections pooled connections across all receivers
 * @param userAgent the {@code User-Agent} header sent with every webhook
 * @param maxInFlight attempts in flight at once across all endpoints (per process), each counted
 *     from its start until its outcome is written: what a crash of the process may repeat
 * @param maxInFlightPerApplication requests out at once for one application (per process; an
 *     attempt whose request is over and whose outcome is being written does not count; those are
 *     held to half of {@code maxInFlight}, or this, if larger), so one application's many
 *     endpoints, slow receivers or huge backlog leave room for the others; a quarter of
 *     {@code maxInFlight} when not set
 * @param handoverWait how long a consumed message's first attempt may wait for a place in line
 *     when every line for room is full (see {@code roomWait}), asking again after 5, 10, 20 … ms,
 *     before its row is left to the retry poller; short, since the record's acknowledgement waits
 *     too: this is what slows the consumer to the receivers' pace
 * @param lease how long an attempt's row stays claimed by the process making it; longer than
 *     {@code requestTimeout}, short enough that a crashed process's work comes back soon
 * @param roomWait how long an attempt that found no room (the process's slots or its application's
 *     share taken) may wait in memory, in line, for room before its row is handed back to the retry
 *     poller; nothing waits for it meanwhile. An attempt that waited must end before its row's
 *     lease does: {@code roomWait + requestTimeout} and a second to write the outcome must be
 *     shorter than {@code lease} (checked), and so must its whole course with quick retries (ADR
 *     0039). It never waits past the latest start its lease allows ({@link #latestStartBeforeLeaseEnd})
 */
@ConfigurationProperties("hookrelay.delivery")
public record DeliveryProperties(
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("15s") Duration requestTimeout,
        @DefaultValue("4KB") DataSize maxResponseBodyBytes,
        @DefaultValue("500") int maxConnections,
        @DefaultValue("HookRelay/0.1") String userAgent,
        @DefaultValue("1000") int maxInFlight,
        @DefaultValue("60s") Duration lease,
        Integer maxInFlightPerApplication,
        @DefaultValue("200ms") Duration handoverWait,
        @DefaultValue("5s") Duration roomWait) {

    /** Time left, after an attempt's request, to write its outcome before the lease ends. */
    static final Duration OUTCOME_MARGIN = Duration.ofSeconds(1);

    public DeliveryProperties {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("hookrelay.delivery.max-in-flight must be at least 1");
        }
        if (maxInFlightPerApplication == null) {
            maxInFlightPerApplication = Math.max(1, maxInFlight / 4);
        }
        if (handoverWait == null) {
            handoverWait = Duration.ofMillis(200);
        }
        if (roomWait == null) {
            roomWait = Duration.ofSeconds(5);
        }
        if (roomWait.isNegative() || roomWait.plus(requestTimeout).plus(OUTCOME_MARGIN).compareTo(lease) >= 0) {
            throw new IllegalArgumentException("hookrelay.delivery.room-wait (" + roomWait + ") plus request-timeout ("
                    + requestTimeout + ") plus " + OUTCOME_MARGIN.toSeconds() + " s to write the outcome must be shorter"
                    + " than lease (" + lease + "): an attempt that waited for room must end before its row's lease"
                    + " does, or another attempt would be made beside it");
        }
        if (maxInFlightPerApplication < 1) {
            throw new IllegalArgumentException("hookrelay.delivery.max-in-flight-per-application must be at least 1");
        }
    }

    /**
     * How long before its row's lease ends an attempt may start at the latest: its request and the
     * write of its outcome must be over before another process may claim the row.
     */
    Duration latestStartBeforeLeaseEnd() {
        return requestTimeout.plus(OUTCOME_MARGIN);
    }
}
