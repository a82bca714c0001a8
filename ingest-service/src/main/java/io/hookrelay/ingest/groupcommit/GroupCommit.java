package io.hookrelay.ingest.groupcommit;

import io.hookrelay.frontdoor.DatabaseErrors;
import io.hookrelay.support.api.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Schedulers;

/**
 * Lets concurrent requests share one database round trip (ADR 0012). Each {@link #submit} waits
 * for its own item's result; the items waiting while {@code maxInFlight} batches are running form
 * the next batch (at most {@code maxBatch}). On a request's path nothing waits for a timer: at low
 * load an item is run at once, alone, by {@code single} (today's one-row statements); under load
 * the batches grow by themselves, as in PostgreSQL's own group commit. Internal work may linger
 * instead (see the constructor with {@code linger}).
 *
 * <p>A batch either succeeds for all its items ({@code batch} answers one result per item, in
 * their order) or fails as a whole; then each item is run again alone by {@code single}, so one
 * bad item gets its own error and never fails its batch-mates.
 *
 * <p>A group commit on a request's path ({@link Overload#REFUSE}) bounds its queue: beyond
 * {@code maxWaiting} items, or after {@code maxWait} without its batch starting, an item fails with a
 * 503 and was never run, so the client's "not accepted" is true. Items already in a running batch
 * always get that batch's outcome. Internal work ({@link Overload#QUEUE}) waits however long it takes.
 *
 * @param <I> what a request submits
 * @param <O> its result; {@code single} may complete empty (then so does {@link #submit})
 */
public final class GroupCommit<I, O> {

    /** What a full or stalled queue does with new items. */
    public enum Overload {
        /** refuse them with a 503 (request paths: the client retries later) */
        REFUSE,
        /** keep them (internal work that must happen, such as deleting published outbox rows) */
        QUEUE
    }

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    private final String name;
    private final GroupCommitProperties properties;
    private final Function<List<I>, Mono<List<O>>> batch;
    private final Function<I, Mono<O>> single;
    private final Overload overload;
    private final DistributionSummary sizes;
    private final Counter fallbacks;
    private final Counter refused;
    private final ArrayDeque<Pending<I, O>> waiting = new ArrayDeque<>();
    private final long lingerNanos;
    private int running;
    private Disposable expiry; // the one timer that refuses items waiting too long, while any wait
    private Disposable lingering; // the one timer that starts a lingering batch

    public GroupCommit(
            String name,
            GroupCommitProperties properties,
            Overload overload,
            MeterRegistry meters,
            Function<List<I>, Mono<List<O>>> batch,
            Function<I, Mono<O>> single) {
        this(name, properties, overload, meters, Duration.ZERO, batch, single);
    }

    /**
     * With a {@code linger}: a batch waits that long after its first item for company, unless
     * it is full. For internal work no one waits on (outbox deletions): at low load it turns one
     * statement per item into one per linger.
     */
    public GroupCommit(
            String name,
            GroupCommitProperties properties,
            Overload overload,
            MeterRegistry meters,
            Duration linger,
            Function<List<I>, Mono<List<O>>> batch,
            Function<I, Mono<O>> single) {
        this.lingerNanos = linger.toNanos();
        this.name = name;
        this.properties = properties;
        this.overload = overload;
        this.batch = batch;
        this.single = single;
        this.sizes = DistributionSummary.builder("hookrelay.group-commit.size")
                .description("Items per group commit (1: run alone)")
                .tag("name", name)
                .register(meters);
        this.fallbacks = Counter.builder("hookrelay.group-commit.fallbacks")
                .description("Batches that failed as a whole and were run again one item at a time")
                .tag("name", name)
                .register(meters);
        this.refused = Counter.builder("hookrelay.group-commit.refused")
                .description("Items refused (503) because too many waited or one waited too long; never run")
                .tag("name", name)
                .register(meters);
    }

    /** The item's own result, once the batch it joined has committed (or its own retry has). */
    public Mono<O> submit(I item) {
        return Mono.<O>create(sink -> {
            boolean full;
            synchronized (this) {
                full = overload == Overload.REFUSE && waiting.size() >= properties.maxWaiting();
                if (!full) {
                    waiting.add(new Pending<>(item, sink, System.nanoTime()));
                    scheduleExpiry();
                }
            }
            if (full) {
                refused.increment();
                sink.error(busy(properties.maxWaiting() + " requests are waiting"));
                return;
            }
            startBatches();
        });
    }

    /** With the lock held: a timer for the oldest waiting item, unless one is set. */
    private void scheduleExpiry() {
        if (overload == Overload.REFUSE && expiry == null && !waiting.isEmpty()) {
            long due = waiting.peek().since() + properties.maxWait().toNanos() - System.nanoTime();
            expiry = Schedulers.parallel().schedule(this::refuseExpired, Math.max(0, due), TimeUnit.NANOSECONDS);
        }
    }

    private void refuseExpired() {
        var expired = new ArrayList<Pending<I, O>>();
        synchronized (this) {
            expiry = null;
            long now = System.nanoTime();
            long maxWait = properties.maxWait().toNanos();
            while (!waiting.isEmpty() && now - waiting.peek().since() >= maxWait) {
                expired.add(waiting.poll());
            }
            scheduleExpiry();
        }
        if (!expired.isEmpty()) {
            refused.increment(expired.size());
            log.warn("Group commit {}: {} requests waited {} without their batch starting; refused with 503",
                    name, expired.size(), properties.maxWait());
            expired.forEach(pending -> pending.sink().error(busy("the database has not taken a batch for " + properties.maxWait())));
        }
    }

    private static ApiException busy(String why) {
        return ApiException.unavailable("service_unavailable",
                "The service is busy (" + why + "); nothing was stored. Retry after the time in Retry-After.",
                Duration.ofSeconds(1));
    }

    private void startBatches() {
        while (true) {
            List<Pending<I, O>> taken;
            synchronized (this) {
                if (running >= properties.maxInFlight() || waiting.isEmpty() || lingers()) {
                    return;
                }
                int size = Math.min(properties.maxBatch(), waiting.size());
                taken = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    taken.add(waiting.poll());
                }
                running++;
            }
            run(taken);
        }
    }

    /** With the lock held: true while the next batch should wait for company (a timer starts it). */
    private boolean lingers() {
        if (lingerNanos == 0 || waiting.size() >= properties.maxBatch()) {
            return false;
        }
        long due = waiting.peek().since() + lingerNanos - System.nanoTime();
        if (due <= 0) {
            return false;
        }
        if (lingering == null) {
            lingering = Schedulers.parallel().schedule(() -> {
                synchronized (this) {
                    lingering = null;
                }
                startBatches();
            }, due, TimeUnit.NANOSECONDS);
        }
        return true;
    }

    private void run(List<Pending<I, O>> taken) {
        sizes.record(taken.size());
        Mono<Void> work = taken.size() == 1 ? alone(taken.getFirst()) : together(taken);
        work.doFinally(signal -> {
                    synchronized (this) {
                        running--;
                    }
                    startBatches();
                })
                .subscribe(null, error -> log.error("Group commit {} failed unexpectedly", name, error));
    }

    private Mono<Void> together(List<Pending<I, O>> taken) {
        List<I> items = taken.stream().map(Pending::item).toList();
        return Mono.defer(() -> batch.apply(items))
                .doOnNext(results -> {
                    if (results.size() != taken.size()) {
                        throw new IllegalStateException(name + ": " + results.size() + " results for " + taken.size() + " items");
                    }
                })
                .doOnNext(results -> {
                    for (int i = 0; i < taken.size(); i++) {
                        taken.get(i).sink().success(results.get(i));
                    }
                })
                .then()
                .onErrorResume(error -> DatabaseErrors.outage(error) != null, error -> {
                    // The database could not take the batch (down, read-only, the connection lost
                    // maybe after the commit): every item hears that. Run alone, an item might be
                    // refused again and told "not stored" while the batch had committed.
                    taken.forEach(pending -> pending.sink().error(error));
                    return Mono.empty();
                })
                .onErrorResume(error -> {
                    // One item may have failed them all (a constraint, a value PostgreSQL refused):
                    // each runs alone now and gets its own answer.
                    fallbacks.increment();
                    log.debug("Group commit {} of {} items failed, running them one by one: {}", name, taken.size(), error.toString());
                    return Flux.fromIterable(taken).flatMap(this::alone).then();
                });
    }

    private Mono<Void> alone(Pending<I, O> pending) {
        return Mono.defer(() -> single.apply(pending.item()))
                .doOnSuccess(result -> pending.sink().success(result))
                .doOnError(error -> pending.sink().error(error))
                .then()
                .onErrorResume(error -> Mono.empty());
    }

    private record Pending<I, O>(I item, MonoSink<O> sink, long since) {}
}
