package io.hookrelay.delivery.ssrf;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which destinations webhooks may be sent to, and how long finding one may take.
 *
 * @param allowLoopback allow 127.0.0.0/8 and ::1; for the local all-in-one mode and tests only
 * @param deniedRanges further ranges to refuse although public (for example the cluster's own
 *     IPv6 pod or service range); they win over everything else
 * @param allowedRanges non-public ranges to allow nevertheless (for example receivers on the
 *     company network); never the cloud metadata addresses, and never what {@code deniedRanges}
 *     refuses. Empty by default: every non-public address is refused
 * @param resolveTimeout how long looking up a destination's name may take; beyond it the attempt
 *     fails as a retryable network error
 */
@ConfigurationProperties("hookrelay.delivery.destinations")
public record DestinationProperties(
        @DefaultValue("false") boolean allowLoopback,
        @DefaultValue List<AddressRange> deniedRanges,
        @DefaultValue List<AddressRange> allowedRanges,
        @DefaultValue("5s") Duration resolveTimeout) {

    public DestinationProperties {
        deniedRanges = List.copyOf(deniedRanges);
        allowedRanges = List.copyOf(allowedRanges);
        if (resolveTimeout.isNegative() || resolveTimeout.isZero()) {
            throw new IllegalArgumentException("hookrelay.delivery.destinations.resolve-timeout must be positive");
        }
    }

    /** The defaults, with or without loopback (tests and tools). */
    public static DestinationProperties defaults(boolean allowLoopback) {
        return new DestinationProperties(allowLoopback, List.of(), List.of(), Duration.ofSeconds(5));
    }
}
