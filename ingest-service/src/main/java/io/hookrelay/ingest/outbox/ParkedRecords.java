package io.hookrelay.ingest.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * What the relay set aside: one log line per parked record (it leaves the outbox, so it is never
 * logged again), the counter {@code hookrelay.outbox.parked} and the gauge
 * {@code hookrelay.outbox.parked.rows} (rows waiting in {@code ingest.outbox_parked}, re-read at
 * most every {@link #COUNT_EVERY} and after each park, so operators see re-published or deleted
 * rows go).
 */
@Component
class ParkedRecords {

    static final Duration COUNT_EVERY = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(ParkedRecords.class);

    private final DatabaseClient db;
    private final MeterRegistry meters;
    private final Clock clock;
    private final AtomicLong rows = new AtomicLong();
    private volatile Instant countedAt = Instant.MIN;

    ParkedRecords(DatabaseClient db, MeterRegistry meters, Clock clock) {
        this.db = db;
        this.meters = meters;
        this.clock = clock;
        Gauge.builder("hookrelay.outbox.parked.rows", rows, AtomicLong::get)
                .description("Outbox records Kafka refused for good, waiting in ingest.outbox_parked")
                .register(meters);
    }

    /** Moves the record from the outbox to {@code ingest.outbox_parked}, then logs and counts it. */
    Mono<Void> park(OutboxRecord record, Throwable failure) {
        Throwable cause = PublishFailures.cause(failure);
        return db.sql("with moved as (delete from ingest.outbox where id = :id returning id, topic, record_key,"
                        + " payload, created_at, traceparent) insert into ingest.outbox_parked (id, topic, record_key,"
                        + " payload, created_at, traceparent, error) select id, topic, record_key, payload, created_at,"
                        + " traceparent, :error from moved")
                .bind("id", record.id())
                .bind("error", cause.toString())
                .then()
                .doOnSuccess(done -> parked(record.id(), record.topic(), record.key(), record.payload().length, cause));
    }

    private void parked(long id, String topic, String key, int bytes, Throwable cause) {
        countedAt = Instant.MIN;
        Counter.builder("hookrelay.outbox.parked")
                .description("Outbox records set aside because Kafka refused them for good")
                .tag("reason", cause.getClass().getSimpleName())
                .register(meters)
                .increment();
        log.error("Outbox record {} (topic {}, key {}, {} bytes) set aside in ingest.outbox_parked: {}."
                        + " Re-publish it with: select ingest.republish_parked({});",
                id, topic, key, bytes, cause.toString(), id);
    }

    /** Re-reads the number of parked rows when it is due. */
    Mono<Void> refreshCount() {
        Instant now = clock.instant();
        if (now.isBefore(countedAt.plus(COUNT_EVERY))) {
            return Mono.empty();
        }
        return db.sql("select count(*) from ingest.outbox_parked")
                .map(row -> row.get(0, Long.class))
                .one()
                .doOnNext(count -> {
                    rows.set(count);
                    countedAt = now;
                })
                .then()
                .onErrorResume(error -> Mono.empty());
    }
}
