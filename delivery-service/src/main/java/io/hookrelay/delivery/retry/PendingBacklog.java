package io.hookrelay.delivery.retry;

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
 * Deliveries owed, seen from the table rather than counted on the delivery path:
 * {@code hookrelay.delivery.pending} (rows of {@code delivery.pending_delivery}) and
 * {@code hookrelay.delivery.pending.oldest.age} (seconds since the message of the oldest owed
 * delivery was accepted; message ids sort by time, so that is the smallest id, found through the
 * primary key). Every process reports the same figures: dashboards and alerts take the max.
 * A resend or recover of old messages shows as old owed deliveries until they are made.
 */
@Component
class PendingBacklog extends PeriodicWork {

    static final Duration EVERY = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(PendingBacklog.class);

    private final DatabaseClient db;
    private final AtomicLong rows = new AtomicLong();
    private final AtomicReference<Double> oldestAge = new AtomicReference<>(0.0);

    PendingBacklog(DatabaseClient db, MeterRegistry meters) {
        this.db = db;
        Gauge.builder("hookrelay.delivery.pending", rows, AtomicLong::get)
                .description("Deliveries owed (rows of delivery.pending_delivery: scheduled, in flight or dead-lettering)")
                .register(meters);
        Gauge.builder("hookrelay.delivery.pending.oldest.age", oldestAge, AtomicReference::get)
                .description("Time since the message of the oldest owed delivery was accepted (0 when none is owed)")
                .baseUnit("seconds")
                .register(meters);
    }

    @Override
    protected Flux<?> triggers() {
        return Flux.interval(Duration.ZERO, EVERY);
    }

    @Override
    protected Mono<?> runOnce() {
        return db.sql("select count(*) as rows, coalesce(extract(epoch from now() - (select m.created_at"
                        + " from ingest.message m where m.id = (select min(msg_id) from delivery.pending_delivery))), 0)"
                        + " as age from delivery.pending_delivery")
                .map(row -> {
                    rows.set(row.get("rows", Long.class));
                    oldestAge.set(Math.max(0, row.get("age", Number.class).doubleValue()));
                    return true;
                })
                .one()
                .onErrorResume(error -> {
                    log.debug("Pending deliveries not read: {}", error.toString());
                    return Mono.empty();
                });
    }
}
