package io.hookrelay.delivery.classification;

import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The status classification table (documented in docs/configuration.md). Statuses not listed:
 * 2xx delivered, everything else a permanent failure for that attempt chain.
 *
 * @param retryableStatuses statuses worth retrying
 * @param goneStatuses statuses that mean the endpoint no longer exists
 * @param maxRetryAfter cap on a receiver's {@code Retry-After}
 */
@ConfigurationProperties("hookrelay.delivery.classification")
public record ClassificationProperties(
        @DefaultValue({"408", "425", "429", "500", "502", "503", "504"}) Set<Integer> retryableStatuses,
        @DefaultValue("410") Set<Integer> goneStatuses,
        @DefaultValue("1h") Duration maxRetryAfter) {}
