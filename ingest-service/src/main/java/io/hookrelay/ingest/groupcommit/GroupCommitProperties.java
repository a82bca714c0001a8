package io.hookrelay.ingest.groupcommit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How concurrent writes share transactions (ADR 0012); the same for each kind of write (accepts,
 * idempotency keys, outbox deletions).
 *
 * @param maxBatch the most items one transaction takes
 * @param maxInFlight batches of one kind running at once; what arrives meanwhile forms the next
 *     batch. Each holds a database connection, so keep their sum well below the R2DBC pool size
 * @param maxWaiting requests of one kind waiting for a batch beyond which a new one is refused at
 *     once (503 with {@code Retry-After}), on the request path only (accepts, idempotency claims,
 *     application lookups)
 * @param maxWait how long a request may wait for its batch to start before it is refused (503,
 *     nothing stored): a stalled database answers clients in this time instead of holding them.
 *     Shorter than the accept deadline ({@code hookrelay.ingest.accept.deadline}), so that a
 *     request that never reached the database hears "nothing stored", not the deadline's "may
 *     have been accepted" (checked at start)
 */
@ConfigurationProperties("hookrelay.ingest.group-commit")
public record GroupCommitProperties(
        @DefaultValue("256") int maxBatch,
        @DefaultValue("2") int maxInFlight,
        @DefaultValue("2048") int maxWaiting,
        @DefaultValue("1s") Duration maxWait) {

    /** The same limits with a different batch size. */
    public GroupCommitProperties withMaxBatch(int batch) {
        return new GroupCommitProperties(batch, maxInFlight, maxWaiting, maxWait);
    }
}
