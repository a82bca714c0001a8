package io.hookrelay.delivery.retry;

import io.hookrelay.support.r2dbc.ConnectionHeartbeat;
import io.hookrelay.support.r2dbc.Unpooled;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * This process as the claimant of the deliveries it attempts, tied to its life: a random key, held
 * as a PostgreSQL session-level advisory lock on a connection of its own for as long as the process
 * runs. Every claim this process writes carries the key ({@code claimed_by}). When the process
 * dies, PostgreSQL ends its session and the lock goes with it, so the other replicas see at once
 * that its claims will never get an outcome and take them over ({@link DeadClaims}) instead of
 * waiting for the lease to end (ADR 0032).
 *
 * <p>If the connection is lost, it is opened again and the lock taken again, at most
 * {@link #MAX_REOPEN_WAIT} apart; in between, another replica may take this process's claims over
 * and attempt them a second time — a duplicate, never a loss, and no more than this process had in
 * flight. This process itself never does ({@link DeadClaims}).
 */
@Component
public class ClaimantSession implements SmartLifecycle {

    /** Shown in {@code pg_stat_activity}, so an operator (or a test) can find this connection. */
    public static final String APPLICATION_NAME = "hookrelay-delivery-claimant";

    private static final Logger log = LoggerFactory.getLogger(ClaimantSession.class);
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);
    /**
     * The longest wait between two tries to open the session again: short, since while it is lost
     * the other replicas see this process as gone (after a PostgreSQL restart, every replica at once).
     */
    static final Duration MAX_REOPEN_WAIT = Duration.ofSeconds(5);
    /** How long the start waits for the lock before the service goes on starting without it. */
    private static final Duration FIRST_LOCK_WAIT = Duration.ofSeconds(10);

    /** Positive, below 2^62: read back from {@code pg_locks} as two 32-bit halves without sign trouble. */
    private final long id = ThreadLocalRandom.current().nextLong(1, 1L << 62);
    private final ConnectionFactory connections;
    private final CountDownLatch firstLock = new CountDownLatch(1);
    private volatile Disposable holding;

    public ClaimantSession(ConnectionFactory connections) {
        this.connections = Unpooled.connections(connections);
    }

    /** The key this process's claims carry. */
    public long id() {
        return id;
    }


    /**
     * Takes the lock before the consumers start claiming (an early phase), waiting for it a little:
     * claims written before it is held look like a dead process's to the other replicas.
     */
    @Override
    public void start() {
        holding = Flux.usingWhen(Mono.from(connections.create()), this::hold, Connection::close,
                        (connection, error) -> connection.close(), Connection::close)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(MAX_REOPEN_WAIT)
                        .transientErrors(true)
                        .doBeforeRetry(signal -> log.warn("Claimant session lost ({}); opening it again",
                                signal.failure().toString())))
                .subscribe();
        try {
            if (!firstLock.await(FIRST_LOCK_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Claimant lock not taken within {}; starting without it (other replicas may take over"
                        + " this process's first claims)", FIRST_LOCK_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One connection's life: the lock, then a liveness check every few seconds; fails when the connection does. */
    private Flux<Long> hold(Connection connection) {
        return execute(connection, "set application_name = '" + APPLICATION_NAME + "'")
                .then(execute(connection, "select pg_advisory_lock(" + id + ")"))
                .doOnSuccess(locked -> {
                    log.info("Holding claimant lock {}", id);
                    firstLock.countDown();
                })
                .thenMany(ConnectionHeartbeat.of(connection, HEARTBEAT, "the claimant connection is no longer valid"));
    }

    private static Mono<Void> execute(Connection connection, String sql) {
        return Flux.from(connection.createStatement(sql).execute()).flatMap(result -> result.map((row, meta) -> 1)).then();
    }

    @Override
    public void stop() {
        Disposable current = holding;
        if (current != null) {
            current.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        Disposable current = holding;
        return current != null && !current.isDisposed();
    }

    /** Before the Kafka consumers and the retry poller (default phases), so claims carry a held key. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }
}
