package io.hookrelay.delivery.health;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When endpoints are disabled automatically.
 *
 * @param disableAfter an endpoint failing without a single success for this long is disabled
 * @param disableOnGone disable an endpoint that answers 410 Gone
 */
@ConfigurationProperties("hookrelay.delivery.endpoint-health")
public record EndpointHealthProperties(
        @DefaultValue("5d") Duration disableAfter, @DefaultValue("true") boolean disableOnGone) {}
