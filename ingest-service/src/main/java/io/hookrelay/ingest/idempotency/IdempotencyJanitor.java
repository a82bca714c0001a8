package io.hookrelay.ingest.idempotency;

import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Deletes de-duplication records older than the window (stored responses of
 * {@code idempotency-key}s, and message {@code eventId}s): past the window they no longer
 * de-duplicate anything, and left alone they would grow without end. Runs every 10 minutes.
 */
@Component
public class IdempotencyJanitor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyJanitor.class);
    private static final Duration EVERY = Duration.ofMinutes(10);

    private final IdempotencyStore keys;
    private final DatabaseClient db;
    private final IdempotencyProperties properties;
    private final Clock clock;
    private volatile Disposable running;

    IdempotencyJanitor(IdempotencyStore keys, DatabaseClient db, IdempotencyProperties properties, Clock clock) {
        this.keys = keys;
        this.db = db;
        this.properties = properties;
        this.clock = clock;
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

    @Override
    public void start() {
        running = Flux.interval(EVERY)
                .onBackpressureDrop()
                .concatMap(tick -> cleanOnce().onErrorResume(error -> {
                    log.warn("Cleaning expired idempotency records failed, will try again: {}", error.toString());
                    return Mono.empty();
                }), 1)
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable current = running;
        if (current != null) {
            current.dispose();
        }
        running = null;
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }
}
