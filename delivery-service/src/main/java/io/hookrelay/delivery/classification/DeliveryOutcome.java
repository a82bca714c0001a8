package io.hookrelay.delivery.classification;

import java.time.Duration;
import java.util.Optional;

/** What one attempt means for the delivery of a message to an endpoint. */
public sealed interface DeliveryOutcome {

    /** Short name stored with the attempt. */
    String name();

    /** A 2xx: done. */
    record Delivered() implements DeliveryOutcome {
        @Override
        public String name() {
            return "delivered";
        }
    }

    /** Worth trying again later; {@code retryAfter} when the receiver asked for a delay. */
    record Retryable(String reason, Optional<Duration> retryAfter) implements DeliveryOutcome {
        @Override
        public String name() {
            return "retryable";
        }
    }

    /** The receiver said the endpoint is gone (410): the endpoint should be disabled. */
    record EndpointGone() implements DeliveryOutcome {
        @Override
        public String name() {
            return "endpoint_gone";
        }
    }

    /** Will not succeed by repeating it (e.g. 400, 401, a redirect). */
    record Failed(String reason) implements DeliveryOutcome {
        @Override
        public String name() {
            return "failed";
        }
    }

    /** Never sent: the destination is not allowed (SSRF protection). */
    record Refused(String reason) implements DeliveryOutcome {
        @Override
        public String name() {
            return "refused";
        }
    }
}
