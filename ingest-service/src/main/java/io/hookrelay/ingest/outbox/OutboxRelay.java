package io.hookrelay.ingest.outbox;

import io.hookrelay.support.lifecycle.PeriodicWork;
import io.r2dbc.spi.Readable;
import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Moves outbox records to Kafka. Each batch is claimed with {@code FOR UPDATE SKIP LOCKED} and
 * deleted in the same transaction that waits for the broker's acknowledgement, so a record
 * leaves the table only once Kafka has it (several relays may run side by side). A crash between
 * send and commit re-sends the batch: at-least-once, with the same key and message id.
 */
@Component
class OutboxRelay extends PeriodicWork {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final DatabaseClient db;
    private final TransactionalOperator transaction;
    private final KafkaTemplate<String, byte[]> kafka;
    private final Outbox outbox;
    private final OutboxProperties properties;

    OutboxRelay(
            DatabaseClient db,
            TransactionalOperator transaction,
            KafkaTemplate<String, byte[]> kafka,
            Outbox outbox,
            OutboxProperties properties) {
        this.db = db;
        this.transaction = transaction;
        this.kafka = kafka;
        this.outbox = outbox;
        this.properties = properties;
    }




    @Override
    protected Flux<?> triggers() {
        return Flux.merge(Flux.interval(properties.pollInterval()), outbox.appendedSignals());
    }

    @Override
    protected Mono<Void> runOnce() {
        return drain();
    }

    /** Publishes batches until the outbox is empty; errors are logged and retried on the next tick. */
    Mono<Void> drain() {
        return relayBatch()
                .expand(published -> published < properties.batchSize() ? Mono.empty() : relayBatch())
                .then()
                .onErrorResume(error -> {
                    log.warn("Outbox relay failed, will retry: {}", error.toString());
                    return Mono.empty();
                });
    }

    private Mono<Integer> relayBatch() {
        return transaction.transactional(claimBatch()
                .collectList()
                .flatMap(records -> send(records).thenReturn(records.size())));
    }

    private Flux<OutboxRecord> claimBatch() {
        return db.sql("delete from ingest.outbox where id in (select id from ingest.outbox order by id"
                        + " limit :limit for update skip locked) returning id, topic, record_key, payload")
                .bind("limit", properties.batchSize())
                .map(OutboxRelay::read)
                .all();
    }

    private Mono<Void> send(List<OutboxRecord> records) {
        if (records.isEmpty()) {
            return Mono.empty();
        }
        // KafkaTemplate.send may block on metadata; keep it off the database driver's event loop.
        return Mono.fromCallable(() -> records.stream()
                        .sorted(Comparator.comparingLong(OutboxRecord::id))
                        .map(record -> kafka.send(record.topic(), record.key(), record.payload()))
                        .toArray(CompletableFuture[]::new))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(sends -> Mono.fromFuture(CompletableFuture.allOf(sends)));
    }

    private static OutboxRecord read(Readable row) {
        ByteBuffer payload = row.get("payload", ByteBuffer.class);
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        return new OutboxRecord(
                row.get("id", Long.class), row.get("topic", String.class), row.get("record_key", String.class), bytes);
    }

    private record OutboxRecord(long id, String topic, String key, byte[] payload) {}
}
