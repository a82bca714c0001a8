package io.hookrelay.delivery.retry;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the durable retry schedule is worked off.
 *
 * @param interval how often due retries are looked for
 * @param batchSize due rows claimed at a time (never more than there is room for in flight)
 */
@ConfigurationProperties("hookrelay.delivery.retry-polling")
public record RetryPolling(
        @DefaultValue("1s") Duration interval,
        @DefaultValue("200") int batchSize) {}
