package io.hookrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.delivery.attempt.Attempt;
import io.hookrelay.delivery.attempt.OutcomeWriter;
import io.hookrelay.delivery.retry.PendingDelivery;
import io.hookrelay.events.PrefixedId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.core.publisher.Flux;

/**
 * Many outcomes written at once, in shared transactions, each with its own effect. (The writer
 * once died under sustained load when a batch came due by time with no room downstream; this
 * test does not reproduce that timing, DeliveryRestartIT's 3,000 messages did.)
 */
class OutcomeWriterIT extends DeliveryIntegrationTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Autowired
    OutcomeWriter outcomes;

    /** The rows start due in an hour, out of the retry poller's way. */
    @Test
    void writesEveryAttemptAndEachDeliveryRowsFateWhenOutcomesArriveTogether() {
        String msg = ids.next(PrefixedId.MESSAGE);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        db.sql("insert into delivery.pending_delivery (msg_id, endpoint_id, app_id, attempts, state, due_at, last_outcome,"
                        + " last_reason, updated_at) select :msg, 'ep_' || n, :app, 0, 'scheduled', now() + interval '1 hour', 'new', '', now()"
                        + " from generate_series(0, 599) n")
                .bind("msg", msg).bind("app", appId).then().block();

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

    private long count(String sql, String msg) {
        return db.sql(sql).bind("msg", msg).map(row -> row.get(0, Long.class)).one().block();
    }
}
