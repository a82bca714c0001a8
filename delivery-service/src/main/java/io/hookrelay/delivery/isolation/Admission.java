package io.hookrelay.delivery.isolation;

import java.time.Duration;

/** Whether a delivery to an endpoint may go now. */
public sealed interface Admission {

    /** Go; report the result through the permit. */
    record Admitted(EndpointPermit permit) implements Admission {}

    /** Not now: try again after {@code delay}. No attempt is made or counted. */
    record Deferred(Duration delay, Reason reason) implements Admission {}

    enum Reason {
        /** The endpoint failed too often recently. */
        CIRCUIT_OPEN,
        /** Too many requests to the endpoint are in flight. */
        ENDPOINT_BUSY,
        /** The endpoint's {@code throttleRate} is used up for now. */
        THROTTLED
    }
}
