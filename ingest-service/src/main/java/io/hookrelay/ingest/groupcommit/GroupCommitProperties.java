package io.hookrelay.ingest.groupcommit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How concurrent writes share transactions (ADR 0012); the same for each kind of write (accepts,
 * idempotency keys, outbox deletions).
 *
 * @param maxBatch the most items one transaction takes
 * @param maxInFlight batches of one kind running at once; what arrives meanwhile forms the next
 *     batch. Each holds a database connection, so keep their sum well below the R2DBC pool size
 */
@ConfigurationProperties("hookrelay.ingest.group-commit")
public record GroupCommitProperties(@DefaultValue("256") int maxBatch, @DefaultValue("2") int maxInFlight) {}
