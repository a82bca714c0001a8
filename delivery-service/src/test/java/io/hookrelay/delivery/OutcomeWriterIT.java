package io.hookrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.delivery.attempt.Attempt;
import io.hookrelay.delivery.attempt.OutcomeWriter;
import io.hookrelay.delivery.retry.ClaimantSession;
import io.hookrelay.delivery.retry.PendingDelivery;
import io.hookrelay.events.PrefixedId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Many outcomes written at once, in shared transactions, each with its own effect. (The writer
 * once died under sustained load when a batch came due by time with no room downstream; this
 * test does not reproduce that timing, DeliveryRestartIT's 3,000 messages did.)
 */
class OutcomeWriterIT extends DeliveryIntegrationTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Autowired
    OutcomeWriter outcomes;

    /** This process's: claims of a live session are not taken over (ADR 0032), so the rows stay out of the poller's way. */
    @Autowired
    ClaimantSession claimant;

    /** The rows start due in an hour, claimed by this process, out of the retry poller's way. */
    @Test
    void writesEveryAttemptAndEachDeliveryRowsFateWhenOutcomesArriveTogether() {
        String msg = ids.next(PrefixedId.MESSAGE);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        insertPending(msg, 600);

        Flux.range(0, 600)
                .flatMap(n -> outcomes.write(
                        new Attempt(ids.next(PrefixedId.ATTEMPT), appId, msg, "ep_" + n, "https://example.com/" + n,
                                n % 2 == 0 ? Attempt.SUCCESS : Attempt.FAIL, n % 2 == 0 ? 200 : 503, "r" + n, n, 0,
                                n % 2 == 0 ? "delivered" : "retryable", now, n % 3 == 0 ? null : TRACE_ID),
                        n % 2 == 0 ? null : new PendingDelivery(msg, "ep_" + n, appId, 1, PendingDelivery.State.SCHEDULED,
                                now.plusSeconds(60), "retryable", "HTTP 503")), 600)
                .then()
                .block();

        assertThat(count("select count(*) from delivery.attempt where msg_id = :msg", msg)).isEqualTo(600);
        assertThat(count("select count(*) from delivery.attempt where msg_id = :msg and trace_id = '" + TRACE_ID + "'", msg))
                .isEqualTo(400);
        assertThat(count("select count(*) from delivery.attempt where msg_id = :msg and trace_id is null", msg)).isEqualTo(200);
        assertThat(count("select count(*) from delivery.pending_delivery where msg_id = :msg", msg)).isEqualTo(300);
        assertThat(count("select count(*) from delivery.pending_delivery where msg_id = :msg and attempts = 1"
                + " and due_at > now() + interval '30 seconds'", msg)).isEqualTo(300);
    }

    /** Outcomes of one delivery row in one batch leave it as if applied in order, the deletes last. */
    @Test
    void givesEachDeliveryRowOneFateWhenABatchHoldsSeveralOutcomesForIt() {
        String msg = ids.next(PrefixedId.MESSAGE);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        insertPending(msg, 3);

        Flux.merge(
                        outcomes.write(attempt(msg, "ep_0", now), pending(msg, "ep_0", 1, now.plusSeconds(60))),
                        outcomes.write(attempt(msg, "ep_0", now), null),
                        outcomes.write(attempt(msg, "ep_1", now), pending(msg, "ep_1", 1, now.plusSeconds(60))),
                        outcomes.write(attempt(msg, "ep_1", now), pending(msg, "ep_1", 2, now.plusSeconds(600))),
                        outcomes.write(attempt(msg, "ep_2", now), null),
                        outcomes.write(attempt(msg, "ep_2", now), pending(msg, "ep_2", 1, now.plusSeconds(60))))
                .then()
                .block();

        assertThat(count("select count(*) from delivery.attempt where msg_id = :msg", msg)).isEqualTo(6);
        assertThat(count("select count(*) from delivery.pending_delivery where msg_id = :msg and endpoint_id in ('ep_0', 'ep_2')",
                msg)).as("deleted, whether the delete came last or first").isZero();
        assertThat(count("select count(*) from delivery.pending_delivery where msg_id = :msg and endpoint_id = 'ep_1'"
                + " and attempts = 2 and due_at > now() + interval '5 minutes' and claimed_by is null", msg)).isEqualTo(1);
    }

    /**
     * One statement for the batch; when the database refuses it for what is in it, each outcome is
     * written on its own: the one it cannot take fails alone (nothing of it written), the others
     * are written, another endpoint's included.
     */
    @Test
    void anOutcomeTheDatabaseCannotTakeFailsAloneNotWithItsBatch() {
        String msg = ids.next(PrefixedId.MESSAGE);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        insertPending(msg, 2);
        Attempt first = attempt(msg, "ep_0", now);
        outcomes.write(first, pending(msg, "ep_0", 1, now.plusSeconds(60))).block();

        // text PostgreSQL cannot store (a NUL in a column nothing cleans): the statement is refused for its content
        var unstorable = new Attempt(ids.next(PrefixedId.ATTEMPT), appId, msg, "ep_0", "https://example.com/\u0000", Attempt.FAIL,
                503, "", 1, 0, "retryable", now, null);
        List<Throwable> errors = Flux.just(
                        outcomes.write(unstorable, pending(msg, "ep_0", 2, now.plusSeconds(60))),
                        outcomes.write(attempt(msg, "ep_1", now), null))
                .flatMap(write -> write.then(Mono.<Throwable>empty()).onErrorResume(Mono::just))
                .collectList()
                .block();

        assertThat(errors).hasSize(1);
        assertThat(count("select count(*) from delivery.attempt where msg_id = :msg", msg)).as("the first and ep_1's")
                .isEqualTo(2);
        assertThat(count("select count(*) from delivery.pending_delivery where msg_id = :msg and endpoint_id = 'ep_1'", msg))
                .as("ep_1 delivered: its row deleted").isZero();
        assertThat(count("select count(*) from delivery.pending_delivery where msg_id = :msg and endpoint_id = 'ep_0'"
                + " and attempts = 1", msg)).isEqualTo(1);
    }

    private void insertPending(String msg, int endpoints) {
        db.sql("insert into delivery.pending_delivery (msg_id, endpoint_id, app_id, attempts, state, due_at, last_outcome,"
                        + " last_reason, updated_at, claimed_by) select :msg, 'ep_' || n, :app, 0, 'scheduled',"
                        + " now() + interval '1 hour', 'new', '', now(), :claimant from generate_series(0, :last) n")
                .bind("msg", msg).bind("app", appId).bind("last", endpoints - 1).bind("claimant", claimant.id()).then().block();
    }

    private Attempt attempt(String msg, String endpoint, Instant now) {
        return new Attempt(ids.next(PrefixedId.ATTEMPT), appId, msg, endpoint, "https://example.com/", Attempt.FAIL, 503,
                "", 1, 0, "retryable", now, TRACE_ID);
    }

    private PendingDelivery pending(String msg, String endpoint, int attempts, Instant due) {
        return new PendingDelivery(msg, endpoint, appId, attempts, PendingDelivery.State.SCHEDULED, due, "retryable",
                "HTTP 503");
    }

    private long count(String sql, String msg) {
        return db.sql(sql).bind("msg", msg).map(row -> row.get(0, Long.class)).one().block();
    }

    /** Written again after a connection lost at its commit, an attempt already there is left as it is. */
    @Test
    void anOutcomeWrittenTwiceIsRecordedOnce() {
        String msg = ids.next(PrefixedId.MESSAGE);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        insertPending(msg, 1);
        Attempt attempt = attempt(msg, "ep_0", now);

        outcomes.write(attempt, pending(msg, "ep_0", 1, now.plusSeconds(60))).block();
        outcomes.write(attempt, pending(msg, "ep_0", 1, now.plusSeconds(60))).block();

        assertThat(count("select count(*) from delivery.attempt where msg_id = :msg", msg)).isEqualTo(1);
    }
}
