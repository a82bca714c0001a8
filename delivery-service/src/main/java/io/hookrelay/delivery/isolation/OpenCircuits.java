package io.hookrelay.delivery.isolation;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code hookrelay.delivery.circuits.open}: how many endpoints' breakers are not closed in this
 * process. Read from {@link EndpointGuards} at scrape time, so the admission path has no metrics
 * code and no endpoint ever becomes a tag.
 */
@Component
class OpenCircuits {

    OpenCircuits(EndpointGuards guards, MeterRegistry meters) {
        Gauge.builder("hookrelay.delivery.circuits.open", guards, EndpointGuards::openCircuits)
                .description("Endpoints whose circuit breaker is open or half-open in this process")
                .register(meters);
    }
}
