package io.hookrelay.delivery.retention;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * delivery-service's retention (ADR 0022).
 *
 * @param attempts how long an attempt row (the delivery log: status, response, duration) is
 *     kept; 90 days, as long as a message's payload by default. Keep it at least as long as
 *     {@code hookrelay.delivery.recover.max-age} (a recover finds failures by their attempts) and
 *     the 28 days endpoint stats may look back
 * @param every the pause between two sweeps (a sweep goes on at once while its batches come back
 *     full)
 * @param batchSize the most rows one delete statement removes
 */
@Validated
@ConfigurationProperties("hookrelay.delivery.retention")
public record RetentionProperties(
        @DefaultValue("90d") Duration attempts,
        @DefaultValue("60s") Duration every,
        @DefaultValue("5000") @Min(1) @Max(100_000) int batchSize) {}
