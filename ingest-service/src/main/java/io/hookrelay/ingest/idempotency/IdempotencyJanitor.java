package io.hookrelay.ingest.idempotency;

import io.hookrelay.support.lifecycle.PeriodicWork;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Deletes de-duplication records older than the window (stored responses of
 * {@code idempotency-key}s, and message {@code eventId}s): past the window they no longer
 * de-duplicate anything, and left alone they would grow without end. Runs every 10 minutes.
 */
@Component
public class IdempotencyJanitor extends PeriodicWork {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyJanitor.class);
    private static final Duration EVERY = Duration.ofMinutes(10);

    private final IdempotencyStore keys;
    private final DatabaseClient db;
    private final IdempotencyProperties properties;
    private final Clock clock;

    IdempotencyJanitor(IdempotencyStore keys, DatabaseClient db, IdempotencyProperties properties, Clock clock) {
        this.keys = keys;
        this.db = db;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    protected Flux<?> triggers() {
        return Flux.interval(EVERY);
    }

    @Override
    protected Mono<Long> runOnce() {
        return cleanOnce().onErrorResume(error -> {
            log.warn("Cleaning expired idempotency records failed, will try again: {}", error.toString());
            return Mono.empty();
        });
    }

    /** Deletes what has expired; returns how many records went. */
    public Mono<Long> cleanOnce() {
        var expiredBefore = clock.instant().minus(properties.window());
        return keys.deleteExpired(expiredBefore)
                .zipWith(db.sql("delete from ingest.message_event_id where created_at < :before")
                        .bind("before", expiredBefore)
                        .fetch()
                        .rowsUpdated(), Long::sum);
    }



}
