package io.hookrelay.support.retention;

import io.hookrelay.support.lifecycle.PeriodicWork;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Removes what outlived its retention window from one table, at most {@code batchSize} rows per
 * statement (each its own short transaction, so no lock or WAL burst grows with the backlog), and
 * runs the next batch at once while batches come back full, as the Svix server's expired-message
 * cleaner does; then it waits for the next interval. Every removed row counts in
 * {@code hookrelay.retention.deleted{table}}. A failed run is logged and tried again next time.
 */
public final class RetentionSweep extends PeriodicWork {

    /**
     * One bounded statement: removes at most {@code limit} rows that expired before {@code now}
     * (minus the table's window) and returns how many it removed.
     */
    @FunctionalInterface
    public interface Batch {
        Mono<Long> remove(Instant now, int limit);
    }

    public static final String DELETED = "hookrelay.retention.deleted";

    private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);

    private final String table;
    private final Duration every;
    private final int batchSize;
    private final Batch batch;
    private final Clock clock;
    private final Counter deleted;

    public RetentionSweep(String table, Duration every, int batchSize, Batch batch, Clock clock, MeterRegistry meters) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
        }
        this.table = table;
        this.every = every;
        this.batchSize = batchSize;
        this.batch = batch;
        this.clock = clock;
        this.deleted = Counter.builder(DELETED)
                .description("Rows removed (or payloads cleared) by the retention sweeps, by table")
                .tag("table", table)
                .register(meters);
    }

    @Override
    protected Flux<?> triggers() {
        return Flux.interval(every);
    }

    @Override
    protected Mono<Long> runOnce() {
        return sweep().onErrorResume(error -> {
            log.warn("Retention sweep of {} failed, will try again in {}: {}", table, every, error.toString());
            return Mono.empty();
        });
    }

    /** Removes everything expired now, batch after batch; returns how many rows went. */
    public Mono<Long> sweep() {
        Instant now = clock.instant();
        return oneBatch(now)
                .expand(removed -> removed == batchSize ? oneBatch(now) : Mono.empty())
                .reduce(0L, Long::sum);
    }

    private Mono<Long> oneBatch(Instant now) {
        return batch.remove(now, batchSize).defaultIfEmpty(0L).doOnNext(deleted::increment);
    }

    public String table() {
        return table;
    }

    /** The statement this sweep repeats (tests run it under a smaller batch size). */
    public Batch batch() {
        return batch;
    }
}
