package io.hookrelay.delivery.dispatch;

import java.time.Clock;
import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Which endpoints have a recovery running, across every replica: a row in
 * {@code delivery.running_recovery}, taken with one insert (so two requests racing cannot both
 * win) and deleted when the recovery is done. A row left by a process that died is taken over
 * once it has expired.
 */
@Component
class RunningRecoveries {

    private final DatabaseClient db;
    private final RecoverProperties properties;
    private final Clock clock;

    RunningRecoveries(DatabaseClient db, RecoverProperties properties, Clock clock) {
        this.db = db;
        this.properties = properties;
        this.clock = clock;
    }

    /** The claim's start time if this caller may run the recovery, empty when one is running already. */
    Mono<Instant> claim(String appId, String endpointId) {
        Instant now = clock.instant();
        return db.sql("insert into delivery.running_recovery (endpoint_id, app_id, started_at, expires_at)"
                        + " values (:endpoint, :app, :now, :expires) on conflict (endpoint_id) do update"
                        + " set app_id = excluded.app_id, started_at = excluded.started_at, expires_at = excluded.expires_at"
                        + " where running_recovery.expires_at < :now returning started_at")
                .bind("endpoint", endpointId)
                .bind("app", appId)
                .bind("now", now)
                .bind("expires", now.plus(properties.lockTimeout()))
                .map(row -> row.get("started_at", Instant.class))
                .one();
    }

    /** Ends this caller's claim (not a later one that took over an expired claim). */
    Mono<Void> release(String endpointId, Instant startedAt) {
        return db.sql("delete from delivery.running_recovery where endpoint_id = :endpoint and started_at = :started")
                .bind("endpoint", endpointId)
                .bind("started", startedAt)
                .then();
    }
}
