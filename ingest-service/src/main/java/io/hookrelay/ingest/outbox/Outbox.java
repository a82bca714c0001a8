package io.hookrelay.ingest.outbox;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The write side of the transactional outbox: {@link #append} inside the caller's transaction,
 * then {@link #published} after commit so the relay picks the record up at once.
 */
@Component
public class Outbox {

    private final DatabaseClient db;
    private final Sinks.Many<Boolean> appended = Sinks.many().multicast().directBestEffort();

    public Outbox(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Void> append(String topic, String key, byte[] payload) {
        return db.sql("insert into ingest.outbox (topic, record_key, payload) values (:topic, :key, :payload)")
                .bind("topic", topic)
                .bind("key", key)
                .bind("payload", payload)
                .then();
    }

    /** Wakes the relay; cheap and never blocks. */
    public void published() {
        appended.tryEmitNext(Boolean.TRUE);
    }

    Flux<Boolean> appendedSignals() {
        return appended.asFlux();
    }
}
