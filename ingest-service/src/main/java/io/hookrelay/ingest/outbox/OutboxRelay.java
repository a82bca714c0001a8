package io.hookrelay.ingest.outbox;

import io.hookrelay.support.lifecycle.PeriodicWork;
import io.r2dbc.spi.Readable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
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
 * The safety net of the outbox (ADR 0012): accepted records are published from memory right after
 * their commit ({@link OutboxPublisher}); this poll moves to Kafka those nobody published that way,
 * left by a process that died or while Kafka was down. It takes only rows older than
 * {@code poll-min-age} and never one this process is publishing from memory. Each batch is claimed with {@code FOR UPDATE SKIP LOCKED} and
 * every record is sent; in the same transaction, the records Kafka acknowledged are deleted and
 * those it refused for good ({@link PublishFailures}) are moved to {@code ingest.outbox_parked},
 * so one record never blocks the others. Records that failed for a transient reason stay and are
 * sent again on the next tick. A record leaves the outbox only once Kafka has it or it is parked
 * (several relays may run side by side); a crash between send and commit re-sends it:
 * at-least-once, with the same key and message id.
 */
@Component
class OutboxRelay extends PeriodicWork {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final DatabaseClient db;
    private final TransactionalOperator transaction;
    private final KafkaTemplate<String, byte[]> kafka;
    private final OutboxPublisher publisher;
    private final OutboxProperties properties;
    private final ParkedRecords parked;

    OutboxRelay(
            DatabaseClient db,
            TransactionalOperator transaction,
            KafkaTemplate<String, byte[]> kafka,
            OutboxPublisher publisher,
            OutboxProperties properties,
            ParkedRecords parked) {
        this.db = db;
        this.transaction = transaction;
        this.kafka = kafka;
        this.publisher = publisher;
        this.properties = properties;
        this.parked = parked;
    }

    @Override
    protected Flux<?> triggers() {
        return Flux.interval(properties.pollInterval());
    }

    @Override
    protected Mono<Void> runOnce() {
        return drain().then(parked.refreshCount());
    }

    /**
     * Publishes batches until the outbox is empty or a record failed for a transient reason (then
     * the next tick tries again); errors are logged and retried on the next tick.
     */
    Mono<Void> drain() {
        return relayBatch()
                .expand(batch -> batch.drained(properties.batchSize()) ? Mono.empty() : relayBatch())
                .then()
                .onErrorResume(error -> {
                    log.warn("Outbox relay failed, will retry: {}", error.toString());
                    return Mono.empty();
                });
    }

    private Mono<BatchResult> relayBatch() {
        return transaction.transactional(claimBatch()
                .collectList()
                .flatMap(claimed -> {
                    // Rows this process is publishing from memory are its in-memory path's to settle.
                    List<OutboxRecord> records = claimed.stream().filter(record -> !publisher.isPublishing(record.id())).toList();
                    boolean skipped = records.size() < claimed.size();
                    return send(records).flatMap(this::settle)
                            .map(result -> skipped ? new BatchResult(result.claimed(), true) : result);
                }));
    }

    private Flux<OutboxRecord> claimBatch() {
        return db.sql("select id, topic, record_key, payload, traceparent from ingest.outbox"
                        + " where created_at < now() - make_interval(secs => :minAge)"
                        + " order by id limit :limit for update skip locked")
                .bind("minAge", properties.pollMinAge().toMillis() / 1000.0)
                .bind("limit", properties.batchSize())
                .map(OutboxRelay::read)
                .all();
    }

    /** Sends every record and waits for each one's own answer. */
    private Mono<List<Sent>> send(List<OutboxRecord> records) {
        if (records.isEmpty()) {
            return Mono.just(List.of());
        }
        // KafkaTemplate.send may block on metadata; keep it off the database driver's event loop.
        return Mono.fromCallable(() -> sendAll(records))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(sends -> Mono.fromFuture(CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)))
                        .then(Mono.fromCallable(() -> sends.stream().map(CompletableFuture::join).toList())));
    }

    /**
     * Stops sending at the first record refused at once for a transient reason (typically no
     * metadata within {@code max.block.ms} while Kafka is unreachable): each of the others would
     * block as long again, holding the batch's rows for minutes. They stay for the next tick.
     */
    private List<CompletableFuture<Sent>> sendAll(List<OutboxRecord> records) {
        var sends = new ArrayList<CompletableFuture<Sent>>(records.size());
        Throwable unavailable = null;
        for (OutboxRecord record : records) {
            if (unavailable != null) {
                sends.add(CompletableFuture.completedFuture(new Sent(record, unavailable)));
                continue;
            }
            CompletableFuture<Sent> sent = send(record);
            sends.add(sent);
            Throwable refusedAtOnce = sent.isDone() ? sent.join().failure() : null;
            if (refusedAtOnce != null && !PublishFailures.isFinal(refusedAtOnce)) {
                unavailable = refusedAtOnce;
            }
        }
        return sends;
    }

    private CompletableFuture<Sent> send(OutboxRecord record) {
        CompletableFuture<?> sending;
        try {
            sending = kafka.send(record.toProducerRecord());
        } catch (RuntimeException refusedAtOnce) {
            sending = CompletableFuture.failedFuture(refusedAtOnce);
        }
        return sending.handle((ok, failure) -> new Sent(record, failure));
    }

    /** Deletes what Kafka has, parks what it will never take, leaves the rest for the next tick. */
    private Mono<BatchResult> settle(List<Sent> sent) {
        List<Long> published = sent.stream().filter(s -> s.failure() == null).map(s -> s.record().id()).toList();
        List<Sent> unpublishable = sent.stream()
                .filter(s -> s.failure() != null && PublishFailures.isFinal(s.failure()))
                .toList();
        List<Sent> transientFailures = sent.stream()
                .filter(s -> s.failure() != null && !PublishFailures.isFinal(s.failure()))
                .toList();
        if (!transientFailures.isEmpty()) {
            log.warn("Outbox relay: {} of {} records not published yet, will retry: {}", transientFailures.size(),
                    sent.size(), PublishFailures.cause(transientFailures.getFirst().failure()).toString());
        }
        return delete(published)
                .then(Flux.fromIterable(unpublishable).concatMap(refused -> parked.park(refused.record(), refused.failure())).then())
                .thenReturn(new BatchResult(sent.size(), !transientFailures.isEmpty()));
    }

    private Mono<Void> delete(List<Long> ids) {
        if (ids.isEmpty()) {
            return Mono.empty();
        }
        return db.sql("delete from ingest.outbox where id = any(:ids)")
                .bind("ids", ids.toArray(Long[]::new))
                .then();
    }

    private static OutboxRecord read(Readable row) {
        ByteBuffer payload = row.get("payload", ByteBuffer.class);
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        return new OutboxRecord(row.get("id", Long.class), row.get("topic", String.class),
                row.get("record_key", String.class), bytes, row.get("traceparent", String.class));
    }

    /** One record's send: {@code failure} is null when Kafka acknowledged it. */
    private record Sent(OutboxRecord record, Throwable failure) {}

    private record BatchResult(int claimed, boolean someRetried) {

        /** Nothing more to do this tick: the outbox ran out, or what is left has to wait. */
        boolean drained(int batchSize) {
            return claimed < batchSize || someRetried;
        }
    }
}
