package io.hookrelay.ingest.outbox;

import io.hookrelay.support.lifecycle.PeriodicWork;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The outbox seen from outside the relay: {@code hookrelay.outbox.rows} (records not yet on Kafka)
 * and {@code hookrelay.outbox.oldest.age} (seconds since the oldest of them was accepted). Read
 * from {@code ingest.outbox} every {@link #EVERY} rather than counted on the accept path, so the
 * hot path pays nothing and the figures hold whichever process wrote the rows. A growing age is
 * the sign of a stuck relay or an unreachable Kafka (alert {@code HookRelayOutboxStuck}).
 */
@Component
class OutboxBacklog extends PeriodicWork {

    static final Duration EVERY = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(OutboxBacklog.class);

    private final DatabaseClient db;
    private final AtomicLong rows = new AtomicLong();
    /** Seconds; {@code 0} with an empty outbox, so an alert on age needs no special case. */
    private final AtomicReference<Double> oldestAge = new AtomicReference<>(0.0);

    OutboxBacklog(DatabaseClient db, MeterRegistry meters) {
        this.db = db;
        Gauge.builder("hookrelay.outbox.rows", rows, AtomicLong::get)
                .description("Accepted records in ingest.outbox not yet acknowledged by Kafka")
                .register(meters);
        Gauge.builder("hookrelay.outbox.oldest.age", oldestAge, AtomicReference::get)
                .description("Age of the oldest record in ingest.outbox (0 when it is empty)")
                .baseUnit("seconds")
                .register(meters);
    }

    @Override
    protected Flux<?> triggers() {
        return Flux.interval(Duration.ZERO, EVERY);
    }

    @Override
    protected Mono<?> runOnce() {
        return db.sql("select count(*) as rows, coalesce(extract(epoch from now() - min(created_at)), 0) as age"
                        + " from ingest.outbox")
                .map(row -> {
                    rows.set(row.get("rows", Long.class));
                    oldestAge.set(Math.max(0, row.get("age", Number.class).doubleValue()));
                    return true;
                })
                .one()
                .onErrorResume(error -> {
                    log.debug("Outbox backlog not read: {}", error.toString());
                    return Mono.empty();
                });
    }
}
