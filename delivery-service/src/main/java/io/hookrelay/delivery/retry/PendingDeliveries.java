package io.hookrelay.delivery.retry;

import io.r2dbc.spi.Readable;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The durable retry schedule in PostgreSQL (table {@code delivery.pending_delivery}). */
@Repository
public class PendingDeliveries {

    private final DatabaseClient db;
    private final ClaimantSession claimant;

    public PendingDeliveries(DatabaseClient db, ClaimantSession claimant) {
        this.db = db;
        this.claimant = claimant;
    }

    /**
     * Records (or moves) the delivery as scheduled or dead at {@code dueAt}, nobody attempting it
     * (a deferral: no attempt was made).
     */
    public Mono<Void> save(PendingDelivery pending) {
        return save(pending, false).then();
    }

    /**
     * As {@link #save(PendingDelivery)}; {@code claimed}: the caller is about to attempt it, so
     * should it stop before the outcome is written, the next claim knows an attempt was cut short.
     * Completes with {@code due_at} as stored.
     */
    private Mono<Instant> save(PendingDelivery pending, boolean claimed) {
        return db.sql("insert into delivery.pending_delivery (msg_id, endpoint_id, app_id, attempts, state, due_at,"
                        + " last_outcome, last_reason, updated_at, claimed_at, claimed_by) values (:msg, :endpoint, :app,"
                        + " :attempts, :state, :due, :outcome, :reason, now(), case when :claimed then now() end,"
                        + " case when :claimed then :claimant end)"
                        + " on conflict (msg_id, endpoint_id) do update set"
                        + " attempts = excluded.attempts, state = excluded.state, due_at = excluded.due_at,"
                        + " last_outcome = excluded.last_outcome, last_reason = excluded.last_reason, updated_at = now(),"
                        + " claimed_at = excluded.claimed_at, claimed_by = excluded.claimed_by returning due_at")
                .bind("msg", pending.msgId())
                .bind("endpoint", pending.endpointId())
                .bind("app", pending.appId())
                .bind("attempts", pending.attempts())
                .bind("state", pending.state().name().toLowerCase(Locale.ROOT))
                .bind("due", pending.dueAt())
                .bind("outcome", pending.lastOutcome())
                .bind("reason", pending.lastReason())
                .bind("claimed", claimed)
                .bind("claimant", claimant.id())
                .map(row -> row.get("due_at", Instant.class))
                .one();
    }

    /**
     * Claims the delivery of {@code msgId} to {@code endpointId} for a manual resend, starting its
     * chain afresh (no attempts counted) whatever state it was in. Completes with the lease as
     * stored (the fence of {@link #releaseNow}).
     */
    public Mono<Instant> claimForResend(String appId, String msgId, String endpointId, Instant leaseEnd) {
        return save(new PendingDelivery(msgId, endpointId, appId, 0, PendingDelivery.State.SCHEDULED, leaseEnd,
                "resend", "manual resend"), true);
    }

    /**
     * Makes a claimed row due now, for the poller to pick up (the claimer could not start it): no
     * attempt was made, so the claim is released, not left to look interrupted. Fenced: only while
     * the row still carries this process's claim with {@code leaseEnd} (as stored); a row claimed
     * again meanwhile (a resend, or another process after the lease ran out) keeps that claim,
     * else it would be attempted twice at once.
     */
    public Mono<Void> releaseNow(String msgId, String endpointId, Instant leaseEnd) {
        return releaseNow(msgId, List.of(endpointId), leaseEnd);
    }

    /** As {@link #releaseNow(String, String, Instant)}, for several endpoints of one message in one statement. */
    public Mono<Void> releaseNow(String msgId, List<String> endpointIds, Instant leaseEnd) {
        return db.sql("update delivery.pending_delivery set due_at = now(), claimed_at = null, claimed_by = null"
                        + " where msg_id = :msg and endpoint_id = any(:endpoints) and due_at = :leaseEnd"
                        + " and claimed_by = :claimant")
                .bind("msg", msgId)
                .bind("endpoints", endpointIds.toArray(String[]::new))
                .bind("leaseEnd", leaseEnd)
                .bind("claimant", claimant.id())
                .then();
    }

    public Mono<Void> delete(String msgId, String endpointId) {
        return db.sql("delete from delivery.pending_delivery where msg_id = :msg and endpoint_id = :endpoint")
                .bind("msg", msgId)
                .bind("endpoint", endpointId)
                .then();
    }

    /**
     * Claims up to {@code limit} due rows by moving their {@code due_at} a lease into the future:
     * if the claimer dies, the rows come due again when the lease ends. Several pollers (replicas)
     * never claim the same row. Fair between applications: at most {@code perApplication} rows of
     * one application among the oldest due, and none of the applications or endpoints with no
     * room left in this process ({@code noRoom}), so one application's backlog cannot fill every
     * batch, and a full endpoint's rows do not go round through this process and back to the table,
     * while another's retries wait behind it. Returned as a whole list: handling a row takes other
     * connections, and holding this one while waiting for them deadlocks a busy pool.
     *
     * <p>A scheduled row is claimed for an attempt ({@code claimed_at} = now, in the same
     * statement); a row that was still claimed from before comes back with
     * {@link PendingDelivery#interruptedClaim()}: that attempt's outcome never came (ADR 0027).
     */
    public Mono<java.util.List<PendingDelivery>> claimDue(
            Instant now, int limit, Duration lease, int perApplication, NoRoom noRoom) {
        return db.sql("update delivery.pending_delivery p set due_at = :leaseEnd, claimed_at = case when p.state ="
                        + " 'scheduled' then :now end, claimed_by = case when p.state = 'scheduled' then :claimant end"
                        + " from (select msg_id, endpoint_id, claimed_at as interrupted_claim"
                        + " from delivery.pending_delivery where due_at <= :now and (msg_id, endpoint_id) in ("
                        + "select msg_id, endpoint_id from (select msg_id, endpoint_id, due_at,"
                        + " row_number() over (partition by app_id order by due_at) as nth from (select msg_id,"
                        + " endpoint_id, app_id, due_at from delivery.pending_delivery where due_at <= :now"
                        + " and app_id <> all(:skipped) and endpoint_id <> all(:fullEndpoints) order by due_at limit :scan) oldest) ranked"
                        + " where nth <= :perApplication order by due_at limit :limit)"
                        + " for update skip locked) due where p.msg_id = due.msg_id and p.endpoint_id = due.endpoint_id"
                        + " returning p.msg_id, p.endpoint_id, p.app_id, p.attempts, p.state, p.due_at, p.last_outcome,"
                        + " p.last_reason, case when p.state = 'scheduled' then due.interrupted_claim end as interrupted_claim")
                .bind("leaseEnd", now.plus(lease))
                .bind("now", now)
                .bind("skipped", noRoom.applications().toArray(String[]::new))
                .bind("fullEndpoints", noRoom.endpoints().toArray(String[]::new))
                .bind("scan", limit * 10)
                .bind("perApplication", perApplication)
                .bind("limit", limit)
                .bind("claimant", claimant.id())
                .map(row -> read(row, row.get("interrupted_claim", Instant.class)))
                .all()
                .collectList();
    }

    private static PendingDelivery read(Readable row, Instant interruptedClaim) {
        return new PendingDelivery(
                row.get("msg_id", String.class),
                row.get("endpoint_id", String.class),
                row.get("app_id", String.class),
                row.get("attempts", Integer.class),
                PendingDelivery.State.valueOf(row.get("state", String.class).toUpperCase(Locale.ROOT)),
                row.get("due_at", Instant.class),
                row.get("last_outcome", String.class),
                row.get("last_reason", String.class),
                interruptedClaim);
    }
}
