package io.hookrelay.delivery.dispatch;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One application's enabled endpoints as read at one moment: what {@link EndpointDirectory}
 * caches.
 *
 * @param signingChangesAt when the first rotated-out secret among them stops signing (the read
 *     already left expired ones out); the entry must not be served past it. Null when none.
 */
record ApplicationEndpoints(List<EndpointTarget> enabled, Instant signingChangesAt) {

    ApplicationEndpoints {
        enabled = List.copyOf(enabled);
    }

    /** An endpoint as read, with when its previous secret stops signing (null if it does not). */
    record Row(EndpointTarget target, Instant previousSecretUntil) {}

    static ApplicationEndpoints of(List<Row> rows) {
        return new ApplicationEndpoints(
                rows.stream().map(Row::target).toList(),
                rows.stream().map(Row::previousSecretUntil).filter(Objects::nonNull).min(Instant::compareTo).orElse(null));
    }

    /** The enabled endpoint {@code endpointId}, or null when it is disabled or gone. */
    EndpointTarget find(String endpointId) {
        return enabled.stream().filter(endpoint -> endpoint.id().equals(endpointId)).findFirst().orElse(null);
    }
}
