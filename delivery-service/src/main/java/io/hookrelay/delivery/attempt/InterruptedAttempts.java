package io.hookrelay.delivery.attempt;

import io.hookrelay.delivery.retry.PendingDelivery;
import io.hookrelay.events.PrefixedId;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Records an attempt whose outcome never came: its delivery was claimed for an attempt, and the
 * claim ran out without an outcome, because the process making it stopped (a kill, a crash) after
 * the request may have gone out. The receiver may have had the message, so the attempt list
 * shows it, with an outcome it says is unknown (ADR 0027). Only the rare re-claim after such a
 * stop writes here; the normal path costs nothing extra.
 */
@Component
public class InterruptedAttempts {

    /** The {@code outcome} column of such an attempt (beside {@code DeliveryOutcome#name()}). */
    public static final String OUTCOME = "interrupted";

    /** What the attempt list says in place of a response. */
    public static final String RESPONSE = "Outcome unknown: the delivery service stopped during this attempt."
            + " The request may have reached the endpoint; it is sent again with the same webhook-id.";

    private final DatabaseClient db;
    private final SecureRandom random = new SecureRandom();

    public InterruptedAttempts(DatabaseClient db) {
        this.db = db;
    }

    /**
     * The attempt to record for a claimed row, if its previous claim was cut short: a failure
     * (Svix status 2; it is not known to have succeeded, and it is tried again) without a status
     * code, at the time the cut-short claim began; manual when that claim was a resend.
     */
    public static Optional<Attempt> of(PendingDelivery claimed, String url, String attemptId) {
        if (claimed.interruptedClaim() == null || claimed.state() != PendingDelivery.State.SCHEDULED) {
            return Optional.empty();
        }
        int trigger = "resend".equals(claimed.lastOutcome()) ? Attempt.MANUAL : Attempt.SCHEDULED;
        return Optional.of(new Attempt(attemptId, claimed.appId(), claimed.msgId(), claimed.endpointId(), url,
                Attempt.FAIL, 0, RESPONSE, 0, trigger, OUTCOME,
                claimed.interruptedClaim().truncatedTo(ChronoUnit.MILLIS), null));
    }

    /**
     * Records the cut-short attempt of {@code claimed}, if there was one, before it is tried again.
     * Its id is made for the time the claim began (ids sort by their second), so the list, newest
     * first by id, shows it before the attempts made since.
     */
    public Mono<Void> record(PendingDelivery claimed, String url) {
        if (claimed.interruptedClaim() == null) {
            return Mono.empty();
        }
        String id = new PrefixedId(Clock.fixed(claimed.interruptedClaim(), ZoneOffset.UTC), random)
                .next(PrefixedId.ATTEMPT);
        return of(claimed, url, id).map(this::insert).orElse(Mono.empty());
    }

    private Mono<Void> insert(Attempt a) {
        return db.sql("insert into delivery.attempt (id, app_id, msg_id, endpoint_id, url, status, response_status_code,"
                        + " response, response_duration_ms, trigger_type, outcome, created_at) values (:id, :app, :msg,"
                        + " :endpoint, :url, :status, :code, :response, :duration, :trigger, :outcome, :at)")
                .bind("id", a.id())
                .bind("app", a.appId())
                .bind("msg", a.msgId())
                .bind("endpoint", a.endpointId())
                .bind("url", a.url())
                .bind("status", (short) a.status())
                .bind("code", (short) a.responseStatusCode())
                .bind("response", a.response())
                .bind("duration", a.responseDurationMs())
                .bind("trigger", (short) a.triggerType())
                .bind("outcome", a.outcome())
                .bind("at", a.timestamp())
                .then();
    }
}
