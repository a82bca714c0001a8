package io.hookrelay.support.lifecycle;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Two gauges read from a table every {@link #EVERY}: how many rows wait, and the age in seconds of
 * the oldest (0 when none). Read from the table rather than counted on the paths that write it,
 * so the hot path pays nothing and the figures hold whichever process wrote the rows or died.
 * The query returns one row with the columns {@code rows} (bigint) and {@code age} (float8
 * seconds). When the database does not answer, the gauges keep their last values and one warning
 * is logged per outage.
 */
public abstract class TableBacklog extends PeriodicWork {

    public static final Duration EVERY = Duration.ofSeconds(5);

    /** The gauges' names and descriptions; the age gauge is in seconds. */
    public record Gauges(String rows, String rowsDescription, String oldestAge, String oldestAgeDescription) {}

    private static final Logger log = LoggerFactory.getLogger(TableBacklog.class);

    private final DatabaseClient db;
    private final String query;
    private final String what;
    private final AtomicLong rows = new AtomicLong();
    private final AtomicReference<Double> oldestAge = new AtomicReference<>(0.0);
    private volatile boolean failing;

    protected TableBacklog(DatabaseClient db, MeterRegistry meters, Gauges gauges, String query) {
        this.db = db;
        this.query = query;
        this.what = gauges.rows();
        Gauge.builder(gauges.rows(), rows, AtomicLong::get)
                .description(gauges.rowsDescription())
                .register(meters);
        Gauge.builder(gauges.oldestAge(), oldestAge, AtomicReference::get)
                .description(gauges.oldestAgeDescription())
                .baseUnit("seconds")
                .register(meters);
    }

    @Override
    protected Flux<?> triggers() {
        return Flux.interval(Duration.ZERO, EVERY);
    }

    @Override
    protected Mono<?> runOnce() {
        return db.sql(query)
                .map(row -> {
                    rows.set(row.get("rows", Long.class));
                    oldestAge.set(Math.max(0, row.get("age", Double.class)));
                    return true;
                })
                .one()
                .doOnNext(read -> failing = false)
                .onErrorResume(error -> {
                    if (!failing) {
                        log.warn("{} not read (the gauges keep their last values): {}", what, error.toString());
                    }
                    failing = true;
                    return Mono.empty();
                });
    }
}
