package io.hookrelay.delivery.attempt;

import io.hookrelay.delivery.retry.PendingDelivery;
import io.hookrelay.frontdoor.DatabaseErrors;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * Writes attempts, with what each means for its delivery row, in batches: outcomes arriving
 * within a few milliseconds of each other share ONE statement, which inserts the attempts, saves
 * the rows to reschedule and deletes the rows that are done, one array per column. A single
 * statement is its own transaction, so a batch is all written or not at all, without a
 * {@code begin} and a {@code commit} of its own; and its text is the same whatever the batch's
 * size. (Before ADR 0033: a transaction of one insert execution per attempt plus a statement for
 * the saves and one for the deletes — four round trips for a lone attempt.) One commit per attempt
 * would cap the platform near the disk's commit rate. Each caller's {@link Mono} completes when
 * its batch has committed, so nothing is acknowledged before it is durable. A batch the database
 * refuses for what is in it is written again one outcome at a time: one that cannot be stored
 * fails alone.
 */
@Component
public class OutcomeWriter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutcomeWriter.class);

    /*
     * Data-modifying CTEs of one statement see the same snapshot and must not touch the same row
     * twice: Rows gives each delivery row at most one fate (a save or a delete).
     */
    private static final String WRITE = "with attempts as (insert into delivery.attempt (id, app_id, msg_id, endpoint_id,"
            + " url, status, response_status_code, response, response_duration_ms, trigger_type, outcome, created_at,"
            + " trace_id) select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int2[],"
            + " $7::int2[], $8::text[], $9::int8[], $10::int2[], $11::text[], $12::timestamptz[], $13::text[])"
            // written again after a connection lost at its commit: the attempt is there already
            + " on conflict (id) do nothing),"
            + " saved as (insert into delivery.pending_delivery (msg_id, endpoint_id, app_id, attempts, state, due_at,"
            + " last_outcome, last_reason, updated_at, claimed_at, claimed_by) select msg_id, endpoint_id, app_id, attempts,"
            + " state, due_at, last_outcome, last_reason, now(), null, null from unnest($14::text[], $15::text[],"
            + " $16::text[], $17::int4[], $18::text[], $19::timestamptz[], $20::text[], $21::text[]) as p (msg_id,"
            + " endpoint_id, app_id, attempts, state, due_at, last_outcome, last_reason) on conflict (msg_id, endpoint_id)"
            + " do update set attempts = excluded.attempts, state = excluded.state, due_at = excluded.due_at,"
            + " last_outcome = excluded.last_outcome, last_reason = excluded.last_reason, updated_at = now(),"
            + " claimed_at = null, claimed_by = null)"
            + " delete from delivery.pending_delivery where (msg_id, endpoint_id) in"
            + " (select * from unnest($22::text[], $23::text[]))";

    private final DatabaseClient db;
    private final Settings settings;
    private final Sinks.Many<Entry> entries = Sinks.many().unicast().onBackpressureBuffer();
    private volatile Disposable running;

    public OutcomeWriter(DatabaseClient db, Settings settings) {
        this.db = db;
        this.settings = settings;
    }

    /** Writes the attempt; then deletes the delivery row ({@code next} null) or saves it as {@code next}. */
    public Mono<Void> write(Attempt attempt, PendingDelivery next) {
        return Mono.create(sink -> entries.emitNext(
                new Entry(attempt, next, sink), Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1))));
    }

    @Override
    public void start() {
        // fairBackpressure: a batch due by time waits for demand instead of failing with an
        // overflow while earlier batches are still being written.
        running = entries.asFlux()
                .bufferTimeout(settings.maxBatch(), settings.maxDelay(), true)
                .flatMap(this::writeBatch, settings.concurrentBatches())
                .subscribe(null, error -> log.error("Attempt writer stopped; attempts will not be recorded", error));
    }

    /**
     * One statement for the batch. A database that cannot take it now (restarting, read-only,
     * unreachable: {@link DatabaseErrors}) gets it again, backing off, until {@code retry-for} has
     * passed since the first try: these outcomes are known, and a batch given up leaves its rows
     * claimed until their lease ends, to be sent again and listed "outcome unknown" (the fault
     * campaign saw 5,813 such after PostgreSQL's restart). Well within the lease, so no other
     * process has taken the rows meanwhile (but one whose claimant session looked gone, ADR 0032).
     * A batch refused for what is in it (a value PostgreSQL cannot store) is written again one
     * outcome at a time, so one that cannot be stored fails alone.
     */
    private Mono<Void> writeBatch(List<Entry> batch) {
        return Mono.defer(() -> {
            long giveUpAt = System.nanoTime() + settings.retryFor().toNanos();
            return db.sql(WRITE)
                    .bindValues(Rows.of(batch).parameters())
                    .then()
                    .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(500))
                            .maxBackoff(Duration.ofSeconds(5))
                            .filter(error -> DatabaseErrors.outage(error) != null && System.nanoTime() < giveUpAt)
                            .doBeforeRetry(retry -> log.warn("Writing {} attempts failed, trying again: {}", batch.size(),
                                    retry.failure().toString()))
                            .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
        })
                .doOnSuccess(done -> batch.forEach(entry -> entry.sink().success()))
                .onErrorResume(error -> batch.size() > 1 && DatabaseErrors.refusedForItsContent(error), error -> {
                    log.warn("Writing {} attempts failed, writing them one by one: {}", batch.size(), error.toString());
                    return Flux.fromIterable(batch).concatMap(entry -> writeBatch(List.of(entry))).then();
                })
                .onErrorResume(error -> {
                    log.warn("Writing {} attempts failed: {}", batch.size(), error.toString());
                    batch.forEach(entry -> entry.sink().error(error));
                    return Mono.empty();
                });
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

    /** Stops after the attempts in flight (which write through it) have finished. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 3000;
    }

    private record Entry(Attempt attempt, PendingDelivery next, MonoSink<Void> sink) {}

    /**
     * A batch as the statement's columns. Each delivery row gets one fate, as if the batch's
     * outcomes were applied in order and the deletes last (what three statements in one
     * transaction did): a row deleted by any entry is only deleted; of several saves of one row
     * the last is kept.
     */
    private record Rows(List<Attempt> attempts, Collection<PendingDelivery> saves, Collection<String[]> deletes) {

        static Rows of(List<Entry> batch) {
            var attempts = new ArrayList<Attempt>(batch.size());
            var saves = new LinkedHashMap<String, PendingDelivery>();
            var deletes = new LinkedHashMap<String, String[]>();
            for (Entry entry : batch) {
                Attempt attempt = entry.attempt();
                attempts.add(attempt);
                String key = attempt.msgId() + '\n' + attempt.endpointId();
                if (entry.next() == null) {
                    deletes.put(key, new String[] {attempt.msgId(), attempt.endpointId()});
                } else {
                    PendingDelivery next = entry.next();
                    saves.put(next.msgId() + '\n' + next.endpointId(), next);
                }
            }
            saves.keySet().removeAll(deletes.keySet());
            return new Rows(attempts, saves.values(), deletes.values());
        }

        /**
         * Text as PostgreSQL can store it: a receiver's answer or an error's message may hold NUL,
         * which text columns refuse (the fault campaign's 32 MiB body of zeros did).
         */
        static String storable(String text) {
            return text == null || text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
        }

        List<Object> parameters() {
            List<Object> columns = new ArrayList<>(23);
            columns.add(column(attempts, String[]::new, Attempt::id));
            columns.add(column(attempts, String[]::new, Attempt::appId));
            columns.add(column(attempts, String[]::new, Attempt::msgId));
            columns.add(column(attempts, String[]::new, Attempt::endpointId));
            columns.add(column(attempts, String[]::new, Attempt::url));
            columns.add(column(attempts, Short[]::new, a -> (short) a.status()));
            columns.add(column(attempts, Short[]::new, a -> (short) a.responseStatusCode()));
            columns.add(column(attempts, String[]::new, a -> storable(a.response())));
            columns.add(column(attempts, Long[]::new, Attempt::responseDurationMs));
            columns.add(column(attempts, Short[]::new, a -> (short) a.triggerType()));
            columns.add(column(attempts, String[]::new, Attempt::outcome));
            columns.add(column(attempts, Instant[]::new, Attempt::timestamp));
            columns.add(column(attempts, String[]::new, Attempt::traceId));
            columns.add(column(saves, String[]::new, PendingDelivery::msgId));
            columns.add(column(saves, String[]::new, PendingDelivery::endpointId));
            columns.add(column(saves, String[]::new, PendingDelivery::appId));
            columns.add(column(saves, Integer[]::new, PendingDelivery::attempts));
            columns.add(column(saves, String[]::new, p -> p.state().name().toLowerCase(Locale.ROOT)));
            columns.add(column(saves, Instant[]::new, PendingDelivery::dueAt));
            columns.add(column(saves, String[]::new, PendingDelivery::lastOutcome));
            columns.add(column(saves, String[]::new, p -> storable(p.lastReason())));
            columns.add(column(deletes, String[]::new, key -> key[0]));
            columns.add(column(deletes, String[]::new, key -> key[1]));
            return columns;
        }

        private static <T, V> V[] column(Collection<T> rows, IntFunction<V[]> array, Function<T, V> value) {
            V[] column = array.apply(rows.size());
            int i = 0;
            for (T row : rows) {
                column[i++] = value.apply(row);
            }
            return column;
        }
    }

    /**
     * @param maxBatch attempts per statement at most
     * @param maxDelay how long an attempt waits for others to share its statement
     * @param concurrentBatches statements in flight at once
     * @param retryFor how long a batch the database cannot take now is tried again before its
     *     attempts are given up (their rows are then sent again once their lease ends); keep it well
     *     below {@code hookrelay.delivery.lease}
     */
    @ConfigurationProperties("hookrelay.delivery.attempt-writes")
    public record Settings(
            @DefaultValue("500") int maxBatch,
            @DefaultValue("5ms") Duration maxDelay,
            @DefaultValue("4") int concurrentBatches,
            @DefaultValue("30s") Duration retryFor) {}
}
