package io.hookrelay.gateway.warmup;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The gateway's warm-up before it opens its port ({@link GatewayWarmUp}).
 *
 * @param requests how many message creations go through the gateway's own path before it takes
 *     traffic; 0 turns the warm-up off
 * @param concurrency how many of them are in flight at once
 * @param timeout the longest the warm-up may delay the opening of the port
 */
@ConfigurationProperties("hookrelay.gateway.warm-up")
public record WarmUpProperties(
        @DefaultValue("1000") int requests,
        @DefaultValue("8") int concurrency,
        @DefaultValue("15s") Duration timeout) {

    public WarmUpProperties {
        if (requests < 0 || concurrency < 1 || timeout.isNegative()) {
            throw new IllegalArgumentException(
                    "hookrelay.gateway.warm-up: requests must be 0 or more, concurrency 1 or more, timeout not negative");
        }
    }
}
