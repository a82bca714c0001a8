package io.hookrelay.ingest.outbox;

import io.hookrelay.ingest.groupcommit.GroupCommit;
import io.hookrelay.ingest.groupcommit.GroupCommitProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Publishes outbox records from memory right after their transaction committed (ADR 0012): no
 * read-back, no waiting for one batch's acknowledgements before sending the next. Each record
 * acknowledged by Kafka is deleted (deletions grouped into few statements); one Kafka refuses for
 * good is parked like the poll parks it; one that failed for a transient reason (Kafka down) stays
 * in the outbox for the relay's poll. While a record is here the poll leaves its row alone
 * ({@link #isPublishing}), so the two never both send it from one process.
 */
@Component
class OutboxPublisher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(OutboxPublisher.class);
    private static final Duration WARN_EVERY = Duration.ofSeconds(10);

    private final KafkaTemplate<String, byte[]> kafka;
    private final ParkedRecords parked;
    private final OutboxProperties properties;
    private final Clock clock;
    private final GroupCommit<Long, Boolean> deletions;
    private final Set<Long> publishing = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count = new AtomicInteger();
    /** KafkaTemplate.send blocks while Kafka has no metadata: never on a request's or the driver's thread. */
    private final ExecutorService sender = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("outbox-sender").daemon(true).factory());
    private volatile Instant warnedAt = Instant.MIN;

    OutboxPublisher(
            KafkaTemplate<String, byte[]> kafka,
            DatabaseClient db,
            ParkedRecords parked,
            OutboxProperties properties,
            GroupCommitProperties groupCommit,
            MeterRegistry meters,
            Clock clock) {
        this.kafka = kafka;
        this.parked = parked;
        this.properties = properties;
        this.clock = clock;
        this.deletions = new GroupCommit<>("outbox-delete",
                groupCommit.withMaxBatch(Math.max(groupCommit.maxBatch(), properties.batchSize())),
                GroupCommit.Overload.QUEUE, // a published row must be deleted, however long it waits
                meters,
                properties.deleteLinger(),
                ids -> db.sql("delete from ingest.outbox where id = any(:ids)")
                        .bind("ids", ids.toArray(Long[]::new))
                        .then()
                        .thenReturn(Collections.nCopies(ids.size(), Boolean.TRUE)),
                id -> db.sql("delete from ingest.outbox where id = :id").bind("id", id).then().thenReturn(Boolean.TRUE));
    }

    /** Claims rows just inserted (not yet committed) for the in-memory path: the poll leaves them alone. */
    void reserve(List<OutboxRecord> records) {
        records.forEach(record -> publishing.add(record.id()));
    }

    /** Gives up rows reserved by a transaction that did not commit, or that will not be sent from memory. */
    void release(List<OutboxRecord> records) {
        records.forEach(record -> publishing.remove(record.id()));
    }

    /** Sends reserved records whose transaction committed, in the background; cheap and never blocks. */
    void publish(List<OutboxRecord> records) {
        if (count.addAndGet(records.size()) > properties.maxPublishing()) {
            count.addAndGet(-records.size());
            release(records); // Kafka is not keeping up: the poll will find them
            return;
        }
        sender.execute(() -> sendAll(records));
    }

    /** True while this process is publishing the record from memory: the poll must not take it. */
    boolean isPublishing(long id) {
        return publishing.contains(id);
    }

    /**
     * Stops sending at the first record refused at once for a transient reason (no metadata within
     * {@code max.block.ms} while Kafka is unreachable): each of the others would block as long again.
     * They stay in the outbox for the poll.
     */
    private void sendAll(List<OutboxRecord> records) {
        Throwable unavailable = null;
        for (OutboxRecord record : records) {
            if (unavailable != null) {
                forget(record);
                continue;
            }
            CompletableFuture<?> sending;
            try {
                sending = kafka.send(record.toProducerRecord());
            } catch (RuntimeException refusedAtOnce) {
                sending = CompletableFuture.failedFuture(refusedAtOnce);
            }
            if (sending.isCompletedExceptionally()) {
                Throwable failure = sending.handle((ok, error) -> error).join();
                if (!PublishFailures.isFinal(failure)) {
                    unavailable = failure;
                }
            }
            sending.whenComplete((ok, failure) -> settle(record, failure));
        }
    }

    private void settle(OutboxRecord record, Throwable failure) {
        if (failure == null) {
            deletions.submit(record.id()).subscribe(
                    deleted -> forget(record),
                    error -> {
                        // Published but still in the outbox: the poll sends it again later (at-least-once).
                        log.warn("Could not delete published outbox record {}: {}", record.id(), error.toString());
                        forget(record);
                    });
        } else if (PublishFailures.isFinal(failure)) {
            parked.park(record, failure).subscribe(
                    done -> {},
                    error -> {
                        log.warn("Could not park outbox record {}: {}", record.id(), error.toString());
                        forget(record);
                    },
                    () -> forget(record));
        } else {
            warnNotPublished(failure);
            forget(record);
        }
    }

    private void forget(OutboxRecord record) {
        publishing.remove(record.id());
        count.decrementAndGet();
    }

    private void warnNotPublished(Throwable failure) {
        Instant now = clock.instant();
        if (now.isAfter(warnedAt.plus(WARN_EVERY))) {
            warnedAt = now;
            log.warn("Outbox records not published yet, the relay's poll will retry them: {}",
                    PublishFailures.cause(failure).toString());
        }
    }

    @Override
    public void destroy() {
        sender.shutdown();
    }
}
