package io.hookrelay.delivery.retry;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the durable retry schedule is worked off.
 *
 * @param interval how often due retries are looked for
 * @param batchSize due rows claimed at a time
 * @param lease how long a claimed row stays invisible to other pollers; longer than a request
 *     timeout, so a retry in flight is not started twice, and short enough that a crashed
 *     process's work comes back soon
 */
@ConfigurationProperties("hookrelay.delivery.retry-polling")
public record RetryPolling(
        @DefaultValue("1s") Duration interval,
        @DefaultValue("200") int batchSize,
        @DefaultValue("2m") Duration lease) {}
