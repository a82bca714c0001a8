package io.hookrelay.ingest.message;

import io.hookrelay.events.MessageAccepted;
import io.hookrelay.events.Topics;
import io.hookrelay.ingest.groupcommit.JoinedText;
import io.hookrelay.ingest.idempotency.KeyedResponse;
import io.hookrelay.ingest.idempotency.ResponseKeys;
import io.hookrelay.ingest.outbox.Outbox;
import io.hookrelay.ingest.outbox.OutboxRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Stores a batch of accepts in ONE statement, which is its own transaction (ADR 0033): the
 * idempotency keys are claimed with their responses, and the messages whose requests own their key
 * (or carry none) are inserted with their outbox records, one array per column. A lone accept
 * costs one round trip instead of five ({@code begin}, the key, the message, the outbox row,
 * {@code commit}). The outbox rows get ids drawn ahead ({@link Outbox#reserveAhead}), so they are
 * reserved for the in-memory path before the statement makes them visible, as in a transaction.
 * Only for messages without an {@code eventId}, whose claim can refuse a message after its key
 * was claimed (the transaction of {@link MessageStore} handles those), and for values
 * {@link JoinedText} can join; {@link #covers} says which batches.
 */
@Component
class AcceptStatement {

    /*
     * A key twice in the batch belongs to its first request (nth = 1 in ord); keys are claimed in
     * sorted order, so two statements claiming overlapping keys wait for each other instead of
     * deadlocking. "owners" is read twice and so evaluated once.
     */
    private static final String STORE = "with input as (select * from unnest($1::text[], $2::int[], $3::text[], "
            + JoinedText.split(4) + ", $5::text[], $6::text[], $7::text[], $8::text[], " + JoinedText.split(9)
            + ", $10::timestamptz[], $11::timestamptz[], " + JoinedText.split(12) + ", $13::text[], $14::int8[])"
            + " with ordinality as i (key, status, content_type, body, id, app_id, event_type, channels, payload,"
            + " created_at, expires_at, record, traceparent, outbox_id, ord)),"
            + " claimed as (insert into ingest.idempotency_key (key, created_at, response_status, content_type, response_body)"
            + " select distinct on (key) key, $15, status, content_type, convert_to(body, 'UTF8') from input"
            + " where key is not null order by key, ord" + ResponseKeys.onConflict(16, 17) + " returning key),"
            + " owners as (select * from (select *, row_number() over (partition by key order by ord) as nth from input) i"
            + " where i.key is null or (i.nth = 1 and i.key in (select key from claimed))),"
            + " messages as (insert into ingest.message (id, app_id, event_type, event_id, channels, payload, created_at,"
            + " payload_expires_at) select id, app_id, event_type, null, string_to_array(channels, ','), payload,"
            + " created_at, expires_at from owners)"
            + " insert into ingest.outbox (id, topic, record_key, payload, traceparent)"
            + " select outbox_id, $18, id, convert_to(record, 'UTF8'), traceparent from owners order by ord"
            + " returning record_key";

    private static final int OUTBOX_IDS = 13; // $14

    private final DatabaseClient db;
    private final ResponseKeys keys;
    private final Outbox outbox;
    private final Clock clock;

    AcceptStatement(DatabaseClient db, ResponseKeys keys, Outbox outbox, Clock clock) {
        this.db = db;
        this.keys = keys;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Whether {@link #store} can take the batch: no eventIds. */
    static boolean covers(List<Recorded> batch) {
        for (Recorded recorded : batch) {
            if (recorded.message().eventId() != null) {
                return false;
            }
        }
        return true;
    }

    /**
     * Stores the batch (see {@link #covers}) and publishes the records of what it stored once
     * committed: per message, in the batch's order, {@link Acceptance.Stored} or, when its
     * idempotency key was taken, {@link Acceptance.KeyTaken}. Fails with
     * {@link IllegalArgumentException}, before anything is written, for a value that cannot be
     * joined: the caller then stores the batch in a transaction.
     */
    Mono<List<Acceptance>> store(List<Recorded> batch) {
        return Mono.defer(() -> {
            List<Object> parameters = parameters(batch); // refuses what cannot be joined before any id is drawn
            return outbox.reserveAhead(batch.stream().map(Recorded::toOutboxEntry).toList())
                    .flatMap(records -> {
                        parameters.set(OUTBOX_IDS, records.stream().map(OutboxRecord::id).toArray(Long[]::new));
                        return db.sql(STORE).bindValues(parameters)
                                .map(row -> row.get("record_key", String.class))
                                .all()
                                .collect(Collectors.toSet())
                                // before settle, which hands the committed records to the publisher
                                .doOnError(failed -> outbox.settledOutsideTransaction(List.of(), records))
                                .doOnCancel(() -> outbox.settledOutsideTransaction(List.of(), records))
                                .map(stored -> settle(batch, records, stored));
                    });
        });
    }

    /** Per message, in the batch's order: stored, or its idempotency key was taken. */
    private List<Acceptance> settle(List<Recorded> batch, List<OutboxRecord> records, Set<String> stored) {
        var results = new ArrayList<Acceptance>(batch.size());
        var committed = new ArrayList<OutboxRecord>(stored.size());
        var notInserted = new ArrayList<OutboxRecord>(batch.size() - stored.size());
        for (int i = 0; i < batch.size(); i++) {
            MessageAccepted message = batch.get(i).message();
            OutboxRecord record = records.get(i);
            if (stored.contains(message.messageId())) {
                committed.add(record);
                results.add(new Acceptance.Stored(message, record));
            } else {
                notInserted.add(record);
                results.add(new Acceptance.KeyTaken());
            }
        }
        outbox.settledOutsideTransaction(committed, notInserted);
        return results;
    }

    /** The statement's parameters, $14 (the outbox ids) left for {@link #store} to set once drawn. */
    private List<Object> parameters(List<Recorded> batch) {
        int size = batch.size();
        var scopes = new String[size];
        var statuses = new Integer[size];
        var contentTypes = new String[size];
        var ids = new String[size];
        var appIds = new String[size];
        var eventTypes = new String[size];
        var channels = new String[size];
        var createdAt = new Instant[size];
        var expiresAt = new Instant[size];
        var traceparents = new String[size];
        for (int i = 0; i < size; i++) {
            Recorded recorded = batch.get(i);
            KeyedResponse response = recorded.response();
            if (response != null) {
                scopes[i] = response.scope();
                statuses[i] = response.status();
                contentTypes[i] = response.contentType();
            }
            MessageAccepted message = recorded.message();
            ids[i] = message.messageId();
            appIds[i] = message.appId();
            eventTypes[i] = message.eventType();
            channels[i] = MessageRepository.joinedChannels(message.channels());
            createdAt[i] = message.timestamp();
            expiresAt[i] = recorded.payloadExpiresAt();
            traceparents[i] = recorded.traceparent();
        }
        Instant now = clock.instant();
        return Arrays.asList(scopes, statuses, contentTypes,
                JoinedText.ofUtf8(batch, recorded -> recorded.response() == null ? null : recorded.response().body()),
                ids, appIds, eventTypes, channels, JoinedText.of(batch, recorded -> recorded.message().payload()),
                createdAt, expiresAt, JoinedText.ofUtf8(batch, Recorded::value), traceparents, null,
                now, keys.expiredBefore(now), keys.abandonedBefore(now), Topics.MESSAGES);
    }
}
