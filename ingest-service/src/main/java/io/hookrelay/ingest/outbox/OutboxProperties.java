package io.hookrelay.ingest.outbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Outbox relay settings.
 *
 * @param batchSize records the poll moves to Kafka per database transaction
 * @param pollInterval how often the relay looks for records nobody published from memory (for
 *     example those left by a process that died between commit and publish, or while Kafka was down)
 * @param pollMinAge the poll takes only records at least this old: younger ones are normally being
 *     published from memory, by this process or another instance, and taking them would send them twice
 * @param maxPublishing records published from memory at once (sent, awaiting their acknowledgement
 *     or deletion); beyond that, accepted records are left to the poll, so a stalled Kafka cannot
 *     fill the memory
 * @param deleteLinger how long the deletion of a published row waits for others to share its
 *     statement: at low load one statement per row becomes one per linger. A process that dies
 *     meanwhile leaves those rows to be published again by the poll (at-least-once), so keep it short
 */
@ConfigurationProperties("hookrelay.outbox")
public record OutboxProperties(
        @DefaultValue("500") int batchSize,
        @DefaultValue("500ms") Duration pollInterval,
        @DefaultValue("5s") Duration pollMinAge,
        @DefaultValue("20000") int maxPublishing,
        @DefaultValue("100ms") Duration deleteLinger) {}
