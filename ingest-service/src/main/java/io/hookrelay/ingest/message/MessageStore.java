package io.hookrelay.ingest.message;

import io.hookrelay.events.MessageAccepted;
import io.hookrelay.ingest.groupcommit.GroupCommit;
import io.hookrelay.ingest.groupcommit.GroupCommitProperties;
import io.hookrelay.ingest.idempotency.IdempotencyKeyTaken;
import io.hookrelay.ingest.idempotency.KeyedResponse;
import io.hookrelay.ingest.idempotency.ResponseKeys;
import io.hookrelay.ingest.outbox.Outbox;
import io.hookrelay.ingest.outbox.OutboxRecord;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Stores accepted messages of applications that exist: the request's idempotency key with its
 * response (ADR 0029), the eventId claim, the message row and its outbox record. Concurrent accepts
 * share one commit (ADR 0012): without eventIds, the usual case, one statement for all of them
 * ({@link AcceptStatement}, ADR 0033); with them, one transaction and one statement per table.
 * Each is answered only once the rows holding it have committed, and its record is then published
 * from memory. A batch that fails is retried one message at a time, so each request gets its own
 * answer.
 */
@Component
class MessageStore {

    static final Duration EVENT_ID_WINDOW = Duration.ofHours(24);

    private final MessageRepository messages;
    private final ResponseKeys keys;
    private final Outbox outbox;
    private final AcceptStatement statement;
    private final TransactionalOperator transaction;
    private final GroupCommit<Recorded, Acceptance> accepts;

    MessageStore(
            MessageRepository messages,
            ResponseKeys keys,
            Outbox outbox,
            AcceptStatement statement,
            TransactionalOperator transaction,
            GroupCommitProperties groupCommit,
            MeterRegistry meters) {
        this.messages = messages;
        this.keys = keys;
        this.outbox = outbox;
        this.statement = statement;
        this.transaction = transaction;
        this.accepts = new GroupCommit<>("message-accept", groupCommit, GroupCommit.Overload.REFUSE, meters, this::storeAll, this::storeOne);
    }

    /** Stores the message in a transaction of its own or shared with concurrent ones; answers after commit. */
    Mono<Acceptance> store(Recorded recorded) {
        return accepts.submit(recorded);
    }

    /**
     * Stores the message in the caller's transaction (the rare paths: the message creates its
     * application, send-example). The caller hands {@link Acceptance.Stored#record()} to
     * {@link #published} once it has committed.
     */
    Mono<Acceptance> storeInTransaction(Recorded recorded) {
        MessageAccepted message = recorded.message();
        KeyedResponse response = recorded.response();
        Mono<Boolean> keyOwned = response == null
                ? Mono.just(true)
                : keys.claimAll(List.of(response)).map(claimed -> !claimed.isEmpty());
        Mono<Boolean> claimed = message.eventId() == null
                ? Mono.just(true)
                : messages.claimEventId(message, message.timestamp().minus(EVENT_ID_WINDOW)).hasElement();
        return keyOwned.flatMap(owned -> owned ? claimed : Mono.error(new IdempotencyKeyTaken()))
                .flatMap(owner -> owner
                        ? messages.insert(recorded)
                                .then(outbox.append(recorded.toOutboxEntry()))
                                .map(record -> new Acceptance.Stored(message, record))
                        : keys.forget(response == null ? List.of() : List.of(response.scope()))
                                .then(messages.eventIdOwner(message.appId(), message.eventId()))
                                .map(originalId -> new Acceptance.Duplicate(message.appId(), originalId)));
    }

    /** Publishes what a committed transaction stored. */
    void published(Acceptance acceptance) {
        if (acceptance instanceof Acceptance.Stored stored) {
            outbox.committed(List.of(stored.record()));
        }
    }

    /** Alone: in one statement when it can be, else in a transaction (also when its values cannot be joined). */
    private Mono<Acceptance> storeOne(Recorded recorded) {
        List<Recorded> alone = List.of(recorded);
        Mono<Acceptance> inTransaction = Mono.defer(
                () -> transaction.transactional(storeInTransaction(recorded)).doOnNext(this::published));
        return AcceptStatement.covers(alone)
                ? statement.store(alone)
                        .map(List::getFirst)
                        .onErrorResume(IllegalArgumentException.class, notJoinable -> inTransaction)
                : inTransaction;
    }

    /**
     * Without eventIds one statement ({@link AcceptStatement}); with them, or when a value cannot be
     * joined (not reachable through the API: Jackson writes valid UTF-8 and escapes control
     * characters), {@link #storeAllInTransaction}.
     */
    private Mono<List<Acceptance>> storeAll(List<Recorded> batch) {
        if (AcceptStatement.covers(batch)) {
            return statement.store(batch)
                    .onErrorResume(IllegalArgumentException.class, notJoinable -> storeAllInTransaction(batch));
        }
        return storeAllInTransaction(batch);
    }

    /**
     * One transaction: the idempotency keys first (a request whose key is taken stores nothing), then the eventIds
     * (a batch repeating one fails and is retried one by one, where the second waits for the first
     * as it always did), then the messages and outbox records of those that own theirs, one
     * statement each: one transaction, one commit for the batch. (A record the outbox cannot join
     * into one statement is inserted alone inside it: its batch stays.)
     */
    private Mono<List<Acceptance>> storeAllInTransaction(List<Recorded> batch) {
        return transaction.transactional(withTheirKeys(batch).flatMap(owners -> storeOwners(batch, owners)))
                .doOnNext(results -> {
                    var records = new ArrayList<OutboxRecord>(results.size());
                    for (Acceptance acceptance : results) {
                        if (acceptance instanceof Acceptance.Stored stored) {
                            records.add(stored.record());
                        }
                    }
                    outbox.committed(records);
                });
    }

    /** The messages of the batch whose requests own their idempotency key (all those without one). */
    private Mono<List<Recorded>> withTheirKeys(List<Recorded> batch) {
        List<KeyedResponse> keyed = batch.stream().map(Recorded::response).filter(Objects::nonNull).toList();
        if (keyed.isEmpty()) {
            return Mono.just(batch);
        }
        return keys.claimAll(keyed).map(claimed -> {
            var firsts = new HashSet<String>(); // a key twice in the batch is its first request's
            return batch.stream()
                    .filter(r -> r.response() == null || (claimed.contains(r.response().scope()) && firsts.add(r.response().scope())))
                    .toList();
        });
    }

    private Mono<List<Acceptance>> storeOwners(List<Recorded> batch, List<Recorded> owners) {
        List<MessageAccepted> withEventId = owners.stream().map(Recorded::message).filter(m -> m.eventId() != null).toList();
        Mono<Set<String>> claimed = withEventId.isEmpty()
                ? Mono.just(Set.of())
                : messages.claimEventIds(withEventId, batch.getFirst().message().timestamp().minus(EVENT_ID_WINDOW))
                        .collect(HashSet::new, (Set<String> eventIdOwners, String id) -> eventIdOwners.add(id));
        return claimed.flatMap(eventIdOwners -> {
            var fresh = owners.stream()
                    .filter(r -> r.message().eventId() == null || eventIdOwners.contains(r.message().messageId()))
                    .toList();
            Mono<Map<String, Acceptance>> stored = fresh.isEmpty() ? Mono.just(Map.of()) : messages
                    .insertAll(fresh)
                    .then(outbox.appendAll(fresh.stream().map(Recorded::toOutboxEntry).toList()))
                    .map(records -> {
                        var byId = new HashMap<String, Acceptance>();
                        for (int i = 0; i < fresh.size(); i++) {
                            MessageAccepted message = fresh.get(i).message();
                            byId.put(message.messageId(), new Acceptance.Stored(message, records.get(i)));
                        }
                        return byId;
                    });
            // a repeated eventId stored nothing: its key is not kept with a 202 for a message that does not exist
            Set<String> freshIds = fresh.stream().map(r -> r.message().messageId()).collect(Collectors.toSet());
            List<String> unusedKeys = owners.stream()
                    .filter(r -> r.response() != null && !freshIds.contains(r.message().messageId()))
                    .map(r -> r.response().scope())
                    .toList();
            Set<String> ownerIds = owners.stream().map(r -> r.message().messageId()).collect(Collectors.toSet());
            return stored.flatMap(byId -> keys.forget(unusedKeys).then(Flux.fromIterable(batch)
                    .concatMap(r -> {
                        String id = r.message().messageId();
                        if (!ownerIds.contains(id)) {
                            return Mono.just((Acceptance) new Acceptance.KeyTaken());
                        }
                        return byId.containsKey(id)
                                ? Mono.just(byId.get(id))
                                : messages.eventIdOwner(r.message().appId(), r.message().eventId())
                                        .map(originalId -> (Acceptance) new Acceptance.Duplicate(r.message().appId(), originalId));
                    })
                    .collectList()));
        });
    }
}
