package io.hookrelay.ingest.outbox;

import io.hookrelay.ingest.groupcommit.JoinedText;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.NoTransactionException;
import org.springframework.transaction.reactive.TransactionSynchronization;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The write side of the transactional outbox: {@link #append} or {@link #appendAll} inside the
 * caller's transaction, then {@link #committed} with what they returned once that transaction has
 * committed, so the records go to Kafka at once from memory (ADR 0012); the relay's poll is only
 * the safety net for records nobody published that way.
 */
@Component
public class Outbox {

    private static final String APPEND_ALL = "insert into ingest.outbox (topic, record_key, payload, traceparent)"
            + " select topic, record_key, convert_to(payload, 'UTF8'), traceparent"
            + " from unnest($1::text[], $2::text[], " + JoinedText.split(3) + ", $4::text[]) as r (topic, record_key, payload, traceparent)"
            + " returning id, record_key";

    /** A record to append: its topic, key and value, and the trace it continues (null: none). */
    public record Entry(String topic, String key, byte[] payload, String traceparent) {}

    private final DatabaseClient db;
    private final OutboxPublisher publisher;
    private final OutboxIds ids;

    Outbox(DatabaseClient db, OutboxPublisher publisher, OutboxIds ids) {
        this.db = db;
        this.publisher = publisher;
        this.ids = ids;
    }

    public Mono<OutboxRecord> append(Entry entry) {
        return db.sql("insert into ingest.outbox (topic, record_key, payload, traceparent)"
                        + " values (:topic, :key, :payload, :traceparent) returning id")
                .bind("topic", entry.topic())
                .bind("key", entry.key())
                .bind("payload", entry.payload())
                .bind("traceparent", Parameters.in(R2dbcType.VARCHAR, entry.traceparent()))
                .map(row -> new OutboxRecord(row.get("id", Long.class), entry.topic(), entry.key(), entry.payload(),
                        entry.traceparent()))
                .one()
                .flatMap(record -> reserve(List.of(record)).thenReturn(record));
    }

    /**
     * One statement for all of them, its text the same whatever their number (one array per
     * column, the payloads — JSON records — {@link JoinedText joined} into one text); the records
     * in the entries' order. Keys must be distinct.
     */
    public Mono<List<OutboxRecord>> appendAll(List<Entry> entries) {
        int size = entries.size();
        var topics = new String[size];
        var keys = new String[size];
        var traceparents = new String[size];
        for (int i = 0; i < size; i++) {
            Entry entry = entries.get(i);
            topics[i] = entry.topic();
            keys[i] = entry.key();
            traceparents[i] = entry.traceparent();
        }
        String payloads;
        try {
            payloads = JoinedText.ofUtf8(entries, Entry::payload);
        } catch (IllegalArgumentException notJoinable) {
            // not JSON after all: one statement per record, in the same transaction
            return Flux.fromIterable(entries).concatMap(this::append).collectList();
        }
        var spec = db.sql(APPEND_ALL).bindValues(List.of(topics, keys, payloads, traceparents));
        return spec.map(row -> Map.entry(row.get("record_key", String.class), row.get("id", Long.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new)
                .map(ids -> entries.stream()
                        .map(entry -> new OutboxRecord(
                                ids.get(entry.key()), entry.topic(), entry.key(), entry.payload(), entry.traceparent()))
                        .toList())
                .flatMap(records -> reserve(records).thenReturn(records));
    }

    /**
     * Marks the rows as this process's to publish before they become visible: the relay's poll,
     * which can see them from the commit on, must not send them too (ADR 0012). Released again if
     * the transaction does not commit.
     */
    private Mono<Void> reserve(List<OutboxRecord> records) {
        publisher.reserve(records);
        return TransactionSynchronizationManager.forCurrentTransaction()
                .doOnNext(transaction -> {
                    if (transaction.isSynchronizationActive()) {
                        transaction.registerSynchronization(new TransactionSynchronization() {
                            @Override
                            public Mono<Void> afterCompletion(int status) {
                                if (status != STATUS_COMMITTED) {
                                    publisher.release(records);
                                }
                                return Mono.empty();
                            }
                        });
                    }
                })
                // Outside a transaction the row is committed already; the caller publishes it.
                .onErrorResume(NoTransactionException.class, none -> Mono.empty())
                .then();
    }

    /**
     * For a statement that inserts and commits the entries by itself, outside any transaction of
     * ours (ADR 0033): their records with ids drawn ahead from the table's sequence, reserved for
     * the in-memory path before the statement makes them visible, in the entries' order. The
     * caller inserts them with these ids, then hands them to {@link #settledOutsideTransaction}.
     */
    public Mono<List<OutboxRecord>> reserveAhead(List<Entry> entries) {
        return ids.take(entries.size()).map(taken -> {
            var records = new ArrayList<OutboxRecord>(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                Entry entry = entries.get(i);
                records.add(new OutboxRecord(taken.get(i), entry.topic(), entry.key(), entry.payload(), entry.traceparent()));
            }
            publisher.reserve(records);
            return records;
        });
    }

    /** After the statement: publishes the records it committed and gives up the others' reservations. */
    public void settledOutsideTransaction(List<OutboxRecord> committed, List<OutboxRecord> notInserted) {
        publisher.release(notInserted);
        publisher.publish(committed);
    }

    /** Publishes records whose transaction has committed; cheap and never blocks. */
    public void committed(List<OutboxRecord> records) {
        publisher.publish(records);
    }
}
