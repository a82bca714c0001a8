package io.hookrelay.delivery.retry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Makes due at once the deliveries claimed by a process that is gone: a claim whose key
 * ({@code claimed_by}) no PostgreSQL session holds as an advisory lock any more (ADR 0032). The
 * retry poller then claims them as it claims any due row, and because they are still marked
 * claimed, the attempt that was cut short is listed as "outcome unknown" (ADR 0027). Those of every
 * live replica are not touched (their locks are held), and this process's own never are: while its
 * claimant session is lost (PostgreSQL restarted, the connection cut) its lock is not held either,
 * yet its attempts are still running here, and taking them over would send each a second time.
 */
@Component
public class DeadClaims {

    /*
     * A bigint advisory lock shows in pg_locks as classid (high 32 bits) and objid (low 32 bits),
     * objsubid 1. Only this database's locks count. The index on claimed_by keeps this to the rows
     * in flight.
     */
    private static final String TAKE_OVER = "update delivery.pending_delivery set due_at = now()"
            + " where claimed_by is not null and claimed_by <> :self and due_at > now() and not exists (select 1 from pg_locks l"
            + " where l.locktype = 'advisory' and l.granted and l.objsubid = 1"
            + " and l.database = (select oid from pg_database where datname = current_database())"
            + " and ((l.classid::bigint << 32) | l.objid::bigint) = claimed_by)";

    private final DatabaseClient db;
    private final ClaimantSession self;
    private final Counter takenOver;

    public DeadClaims(DatabaseClient db, ClaimantSession self, MeterRegistry meters) {
        this.db = db;
        this.self = self;
        this.takenOver = meters.counter("hookrelay.delivery.claims.taken_over");
    }

    /** The number of deliveries made due because their claimant is gone (also counted in the metric). */
    public Mono<Long> takeOver() {
        return db.sql(TAKE_OVER).bind("self", self.id()).fetch().rowsUpdated().doOnNext(takenOver::increment);
    }
}
