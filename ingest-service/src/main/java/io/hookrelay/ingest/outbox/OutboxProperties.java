package io.hookrelay.ingest.outbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Outbox relay settings.
 *
 * @param batchSize records moved to Kafka per database transaction
 * @param pollInterval how often the relay looks for records nobody told it about (for example
 *     those left by a process that died between commit and publish)
 */
@ConfigurationProperties("hookrelay.outbox")
public record OutboxProperties(
        @DefaultValue("500") int batchSize, @DefaultValue("500ms") Duration pollInterval) {}
