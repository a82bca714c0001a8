package io.hookrelay.delivery.attempt;

import io.hookrelay.delivery.retry.PendingDelivery;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;

/**
 * Writes attempts, with what each means for its delivery row, in batches: outcomes arriving
 * within a few milliseconds of each other share one transaction (one pipelined insert for the
 * attempts, one statement for the rows to delete, one for the rows to reschedule). One commit per
 * attempt would cap the platform near the disk's commit rate. Each caller's {@link Mono}
 * completes when its batch has committed, so nothing is acknowledged before it is durable.
 */
@Component
public class OutcomeWriter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutcomeWriter.class);

    private static final String INSERT_ATTEMPT = "insert into delivery.attempt (id, app_id, msg_id, endpoint_id, url,"
            + " status, response_status_code, response, response_duration_ms, trigger_type, outcome, created_at, trace_id)"
            + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
    private static final String SAVE_PENDING = "insert into delivery.pending_delivery (msg_id, endpoint_id, app_id,"
            + " attempts, state, due_at, last_outcome, last_reason, updated_at, claimed_at, claimed_by) values ($1, $2, $3,"
            + " $4, $5, $6, $7, $8, now(), null, null) on conflict (msg_id, endpoint_id) do update set attempts ="
            + " excluded.attempts, state = excluded.state, due_at = excluded.due_at, last_outcome = excluded.last_outcome,"
            + " last_reason = excluded.last_reason, updated_at = now(), claimed_at = null, claimed_by = null";
    private static final String DELETE_PENDING = "delete from delivery.pending_delivery where (msg_id, endpoint_id) in"
            + " (select * from unnest($1::text[], $2::text[]))";

    private final DatabaseClient db;
    private final TransactionalOperator transaction;
    private final Settings settings;
    private final Sinks.Many<Entry> entries = Sinks.many().unicast().onBackpressureBuffer();
    private volatile Disposable running;

    public OutcomeWriter(DatabaseClient db, TransactionalOperator transaction, Settings settings) {
        this.db = db;
        this.transaction = transaction;
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

    private Mono<Void> writeBatch(List<Entry> batch) {
        return transaction.transactional(db.inConnectionMany(connection -> Flux.concat(
                                execute(insertAttempts(connection, batch)),
                                execute(savePending(connection, batch)),
                                execute(deletePending(connection, batch))))
                        .then())
                .doOnSuccess(done -> batch.forEach(entry -> entry.sink().success()))
                .onErrorResume(error -> {
                    log.warn("Writing {} attempts failed: {}", batch.size(), error.toString());
                    batch.forEach(entry -> entry.sink().error(error));
                    return Mono.empty();
                });
    }

    private static Statement insertAttempts(Connection connection, List<Entry> batch) {
        Statement statement = connection.createStatement(INSERT_ATTEMPT);
        for (int i = 0; i < batch.size(); i++) {
            Attempt a = batch.get(i).attempt();
            if (i > 0) {
                statement.add();
            }
            statement.bind(0, a.id()).bind(1, a.appId()).bind(2, a.msgId()).bind(3, a.endpointId()).bind(4, a.url())
                    .bind(5, (short) a.status()).bind(6, (short) a.responseStatusCode()).bind(7, a.response())
                    .bind(8, a.responseDurationMs()).bind(9, (short) a.triggerType()).bind(10, a.outcome())
                    .bind(11, a.timestamp());
            if (a.traceId() == null) {
                statement.bindNull(12, String.class);
            } else {
                statement.bind(12, a.traceId());
            }
        }
        return statement;
    }

    private static Statement savePending(Connection connection, List<Entry> batch) {
        List<PendingDelivery> saves = batch.stream().map(Entry::next).filter(next -> next != null).toList();
        if (saves.isEmpty()) {
            return null;
        }
        Statement statement = connection.createStatement(SAVE_PENDING);
        for (int i = 0; i < saves.size(); i++) {
            PendingDelivery p = saves.get(i);
            if (i > 0) {
                statement.add();
            }
            statement.bind(0, p.msgId()).bind(1, p.endpointId()).bind(2, p.appId()).bind(3, p.attempts())
                    .bind(4, p.state().name().toLowerCase(Locale.ROOT)).bind(5, p.dueAt()).bind(6, p.lastOutcome())
                    .bind(7, p.lastReason());
        }
        return statement;
    }

    private static Statement deletePending(Connection connection, List<Entry> batch) {
        List<Attempt> done = batch.stream().filter(entry -> entry.next() == null).map(Entry::attempt).toList();
        if (done.isEmpty()) {
            return null;
        }
        return connection.createStatement(DELETE_PENDING)
                .bind(0, done.stream().map(Attempt::msgId).toArray(String[]::new))
                .bind(1, done.stream().map(Attempt::endpointId).toArray(String[]::new));
    }

    private static Mono<Void> execute(Statement statement) {
        return statement == null
                ? Mono.empty()
                : Flux.from(statement.execute()).flatMap(Result::getRowsUpdated).then();
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
     * @param maxBatch attempts per transaction at most
     * @param maxDelay how long an attempt waits for others to share its transaction
     * @param concurrentBatches transactions in flight at once
     */
    @ConfigurationProperties("hookrelay.delivery.attempt-writes")
    public record Settings(
            @DefaultValue("500") int maxBatch,
            @DefaultValue("5ms") Duration maxDelay,
            @DefaultValue("4") int concurrentBatches) {}
}
