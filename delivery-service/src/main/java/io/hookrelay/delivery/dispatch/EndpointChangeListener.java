package io.hookrelay.delivery.dispatch;

import io.hookrelay.support.r2dbc.ConnectionHeartbeat;
import io.hookrelay.support.r2dbc.Unpooled;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.postgresql.api.Notification;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Holds one dedicated PostgreSQL connection (outside the pool) that LISTENs for ingest-service's
 * {@value #CHANNEL} notifications, sent by a trigger on {@code ingest.endpoint} at the commit of
 * every change, with the application id as payload; each one evicts that application from
 * {@link EndpointDirectory}. When the connection fails or is closed, notifications may have been
 * missed: the directory stops using its cache until a new connection listens again (retried with
 * backoff), then starts from an empty cache.
 */
@Component
class EndpointChangeListener implements SmartLifecycle {

    static final String CHANNEL = "hookrelay_endpoint_changed";

    /** Shown in {@code pg_stat_activity}, so an operator (or a test) can find this connection. */
    static final String APPLICATION_NAME = "hookrelay-delivery-endpoint-listener";

    private static final Logger log = LoggerFactory.getLogger(EndpointChangeListener.class);

    private final ConnectionFactory connections;
    private final EndpointDirectory directory;
    private final EndpointCacheProperties properties;
    private final Counter notifications;
    private final Counter failures;
    private volatile Disposable listening;

    EndpointChangeListener(
            ConnectionFactory connections,
            EndpointDirectory directory,
            EndpointCacheProperties properties,
            MeterRegistry meters) {
        this.connections = Unpooled.connections(connections);
        this.directory = directory;
        this.properties = properties;
        this.notifications = meters.counter("hookrelay.delivery.endpoints.notifications");
        this.failures = meters.counter("hookrelay.delivery.endpoints.listen.failures");
    }

    @Override
    public void start() {
        if (!properties.enabled()) {
            log.info("Endpoint cache disabled: endpoints are read from the database for every message");
            return;
        }
        listening = session()
                .retryWhen(Retry.backoff(Long.MAX_VALUE, properties.reconnectMinBackoff())
                        .maxBackoff(properties.reconnectMaxBackoff())
                        .transientErrors(true)
                        .doBeforeRetry(signal -> log.info("Re-opening the endpoint change listener (attempt {})",
                                signal.totalRetries() + 1)))
                .subscribe();
    }

    /**
     * One connection's life: listen until it fails; never completes normally. Emits once when
     * listening, which resets the backoff (a connection lost after a day is re-opened at once).
     */
    private Flux<Boolean> session() {
        return Flux.usingWhen(connect(), this::listen, Connection::close, (connection, error) -> connection.close(),
                        Connection::close)
                .onErrorResume(error -> lost(error).then(Mono.<Boolean>error(error)));
    }

    private Mono<PostgresqlConnection> connect() {
        return Mono.from(connections.create()).flatMap(connection -> connection instanceof PostgresqlConnection postgres
                ? Mono.just(postgres)
                : Mono.from(connection.close()).then(Mono.error(new IllegalStateException(
                        "LISTEN needs a PostgreSQL connection, got " + connection.getClass().getName()))));
    }

    /**
     * Subscribes to the connection's notifications before issuing LISTEN, and only then empties
     * and uses the cache: a change committed after that point is announced on this connection.
     */
    private Flux<Boolean> listen(PostgresqlConnection connection) {
        Flux<Boolean> changes = connection.getNotifications()
                .doOnNext(this::changed)
                .thenMany(Flux.error(new IllegalStateException("the LISTEN connection was closed")));
        Flux<Boolean> startAndWatch = execute(connection, "set application_name = '" + APPLICATION_NAME + "'")
                .then(execute(connection, "listen " + CHANNEL))
                .then(requireTrigger(connection))
                .then(Mono.fromCallable(() -> {
                    directory.listening();
                    log.info("Listening for endpoint changes; serving endpoints from the cache");
                    return true;
                }))
                .concatWith(heartbeat(connection));
        return Flux.merge(changes, startAndWatch);
    }

    /**
     * Nothing would announce changes before ingest-service has migrated its trigger (V3), e.g.
     * while a new delivery-service runs against an older schema: the cache stays unused until then.
     */
    private static Mono<Void> requireTrigger(PostgresqlConnection connection) {
        return connection.createStatement("select count(*) as n from pg_trigger"
                        + " where tgrelid = to_regclass('ingest.endpoint') and tgname = 'endpoint_changed' and tgenabled <> 'D'")
                .execute()
                .flatMap(result -> result.map(row -> row.get("n", Long.class)))
                .single()
                .flatMap(found -> found > 0 ? Mono.<Void>empty() : Mono.error(new IllegalStateException(
                        "ingest.endpoint has no endpoint_changed trigger yet (ingest-service's migration V3)")));
    }

    private static Mono<Void> execute(PostgresqlConnection connection, String sql) {
        return connection.createStatement(sql).execute().flatMap(result -> result.getRowsUpdated()).then();
    }

    private Flux<Boolean> heartbeat(PostgresqlConnection connection) {
        return ConnectionHeartbeat.of(connection, properties.heartbeat(), "the LISTEN connection failed its check")
                .thenMany(Flux.empty());
    }

    private void changed(Notification notification) {
        notifications.increment();
        String appId = notification.getParameter();
        if (appId != null) {
            directory.changed(appId);
        }
    }

    private Mono<Void> lost(Throwable error) {
        return Mono.fromRunnable(() -> {
            failures.increment();
            directory.notListening();
            log.warn("Endpoint change listener lost ({}); reading endpoints from the database until it is back",
                    error.toString());
        });
    }

    @Override
    public void stop() {
        Disposable current = listening;
        if (current != null) {
            current.dispose();
            listening = null;
        }
        directory.notListening();
    }

    @Override
    public boolean isRunning() {
        return listening != null;
    }
}
