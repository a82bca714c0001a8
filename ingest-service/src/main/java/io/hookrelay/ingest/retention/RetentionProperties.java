package io.hookrelay.ingest.retention;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * ingest-service's retention sweeps (ADR 0022). How long a payload is kept is each message's
 * {@code payloadRetentionPeriod}; how long de-duplication records are kept is
 * {@code hookrelay.idempotency.window}. These settings say how the sweeps run.
 *
 * @param every the pause between two sweeps of a table (a sweep goes on at once while its
 *     batches come back full)
 * @param batchSize the most rows one statement removes: bounds each transaction's locks, WAL and
 *     time, whatever the backlog
 */
@Validated
@ConfigurationProperties("hookrelay.ingest.retention")
public record RetentionProperties(
        @DefaultValue("60s") Duration every,
        @DefaultValue("5000") @Min(1) @Max(100_000) int batchSize) {}
