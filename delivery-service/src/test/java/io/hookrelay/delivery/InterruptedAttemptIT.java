package io.hookrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookrelay.delivery.retry.ClaimantSession;
import io.hookrelay.delivery.retry.DeliveryClaims;
import io.hookrelay.delivery.retry.PendingDeliveries;
import io.hookrelay.delivery.retry.PendingDelivery;
import io.hookrelay.events.MessageAccepted;
import io.hookrelay.events.PrefixedId;
import io.hookrelay.support.r2dbc.Unpooled;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A delivery whose attempt was cut short by a stop of the process making it (ADR 0027): the row
 * is left claimed, exactly as the consumer's claim leaves it, with a lease that has run out, and
 * the running service's poller takes it over. The attempt list, read through the API, shows the
 * cut-short attempt (it may have reached the receiver) before the redelivery; rows that were
 * released or rescheduled with an outcome show no such attempt. A claim whose claimant's session
 * is gone is taken over before its lease ends; one whose claimant is alive is not, nor is this
 * process's own while its claimant session is lost (ADR 0032).
 */
class InterruptedAttemptIT extends DeliveryIntegrationTest {

    @Autowired
    PendingDeliveries pending;

    @Autowired
    DeliveryClaims claims;

    @Autowired
    ConnectionFactory connections;

    @Autowired
    MeterRegistry meters;

    @Autowired
    ClaimantSession claimant;

    @Test
    void aClaimThatRanOutMidAttemptShowsAnAttemptOfUnknownOutcomeBeforeTheRedelivery() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);
        MessageAccepted message = message();
        Instant claimed = Instant.now().minusSeconds(70).truncatedTo(ChronoUnit.MILLIS);
        claims.claimNew(appId, message.messageId(), List.of(endpoint), Instant.now().plusSeconds(60)).block();

        // as if claimed 70 s ago by a process that died then: its 60 s lease ended 10 s ago
        db.sql("update delivery.pending_delivery set claimed_at = :claimed, due_at = :leaseEnd where msg_id = :msg")
                .bind("claimed", claimed).bind("leaseEnd", claimed.plusSeconds(60)).bind("msg", message.messageId())
                .then().block();

        await().atMost(Duration.ofSeconds(20)).until(() -> attemptsListed(message).size() == 2);
        List<Map<String, Object>> listed = attemptsListed(message);
        assertThat(listed.get(0)).as("newest first: the redelivery")
                .containsEntry("status", 0).containsEntry("responseStatusCode", 200);
        assertThat(listed.get(1)).as("the cut-short attempt")
                .containsEntry("status", 2)
                .containsEntry("responseStatusCode", 0)
                .containsEntry("endpointId", endpoint)
                .containsEntry("url", receiver.url("/ok"))
                .containsEntry("triggerType", 0);
        assertThat((String) listed.get(1).get("response")).startsWith("Outcome unknown")
                .contains("may have reached the endpoint");
        assertThat(Instant.parse((String) listed.get(1).get("timestamp"))).as("the time the cut-short claim began")
                .isEqualTo(claimed);
        assertThat(received("/ok", message)).hasSize(1);
    }

    @Test
    void aClaimOfAProcessThatIsGoneIsTakenOverBeforeItsLeaseEnds() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);
        MessageAccepted message = message();
        claims.claimNew(appId, message.messageId(), List.of(endpoint), Instant.now().plusSeconds(60)).block();

        double takenOverBefore = meters.counter("hookrelay.delivery.claims.taken_over").count();
        // as if claimed 5 s ago by a process whose session (and claimant lock) is gone: its lease has 55 s to run
        claimedBy(message, GONE, Instant.now().minusSeconds(5));

        await().atMost(Duration.ofSeconds(20)).until(() -> attemptsListed(message).size() == 2);
        List<Map<String, Object>> listed = attemptsListed(message);
        assertThat(listed.get(0)).as("the redelivery").containsEntry("status", 0);
        assertThat((String) listed.get(1).get("response")).as("the cut-short attempt").startsWith("Outcome unknown");
        assertThat(received("/ok", message)).hasSize(1);
        assertThat(meters.counter("hookrelay.delivery.claims.taken_over").count()).as("take-overs counted")
                .isGreaterThanOrEqualTo(takenOverBefore + 1);
    }

    @Test
    void aClaimOfALiveProcessWaitsUntilThatProcessIsGone() throws Exception {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);
        MessageAccepted message = message();
        claims.claimNew(appId, message.messageId(), List.of(endpoint), Instant.now().plusSeconds(60)).block();
        // another replica, alive: its session holds its claimant lock
        Connection replica = Mono.from(Unpooled.connections(connections).create()).block();
        try {
            Flux.from(replica.createStatement("select pg_advisory_lock(" + LIVE + ")").execute())
                    .flatMap(result -> result.map((row, meta) -> 1)).blockLast();
            claimedBy(message, LIVE, Instant.now().minusSeconds(5));

            Thread.sleep(3000); // three polls of the running service
            assertThat(received("/ok", message)).as("nothing taken from a live claimant").isEmpty();
            assertThat(attemptsListed(message)).isEmpty();
        } finally {
            Mono.from(replica.close()).block(); // the replica dies: its session ends
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> received("/ok", message).size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> attemptsListed(message).size() == 2);
    }

    /**
     * The chaos campaign's finding: after PostgreSQL restarted, this process's claimant session
     * (and lock) was gone until it reopened, and its own poller took over its own running claims —
     * 9,583 attempts listed "outcome unknown" and their deliveries sent twice.
     */
    @Test
    void aProcessWhoseClaimantSessionIsLostDoesNotTakeOverItsOwnClaims() throws Exception {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);
        MessageAccepted message = message();
        claims.claimNew(appId, message.messageId(), List.of(endpoint), Instant.now().plusSeconds(60)).block();
        claimedBy(message, claimant.id(), Instant.now().minusSeconds(5));
        try {
            // the session holding this process's claimant lock ends, as when PostgreSQL restarts
            Long ended = db.sql("select count(pg_terminate_backend(pid)) as ended from pg_locks where locktype = 'advisory'"
                            + " and objsubid = 1 and ((classid::bigint << 32) | objid::bigint) = :id")
                    .bind("id", claimant.id())
                    .map(row -> row.get("ended", Long.class))
                    .one().block();
            assertThat(ended).isEqualTo(1);

            Thread.sleep(3000); // the session is reopened within seconds; the poller runs several times meanwhile
            assertThat(received("/ok", message)).as("nothing taken from this process's own claims").isEmpty();
            assertThat(attemptsListed(message)).isEmpty();
        } finally {
            // the claim has no attempt running behind it (the test made it): do not leave it for its lease to end
            db.sql("delete from delivery.pending_delivery where msg_id = :msg").bind("msg", message.messageId()).then().block();
        }
    }

    /**
     * The outcome of an attempt is known; a database that cannot take it for a few seconds
     * (restarting, read-only) gets it again rather than leaving the row to be sent a second time
     * when its lease ends, listed "outcome unknown" (the campaign saw 5,813 after a restart).
     */
    @Test
    void anOutcomeTheDatabaseRefusesForAWhileIsWrittenWhenItTakesItAgain() throws Exception {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);
        MessageAccepted message = message();
        db.sql("create function delivery.refuse_attempt_for_a_test() returns trigger language plpgsql as $$ begin"
                + " raise exception 'cannot execute INSERT in a read-only transaction' using errcode = 'read_only_sql_transaction';"
                + " end $$").then().block();
        try {
            db.sql("create trigger refuse_attempt_for_a_test before insert on delivery.attempt for each row"
                    + " when (new.msg_id = '" + message.messageId() + "') execute function delivery.refuse_attempt_for_a_test()")
                    .then().block();
            pending.save(new PendingDelivery(message.messageId(), endpoint, appId, 0, PendingDelivery.State.SCHEDULED,
                    Instant.now(), "retryable", "HTTP 503")).block();
            await().atMost(Duration.ofSeconds(20)).until(() -> received("/ok", message).size() == 1);
            Thread.sleep(2000); // the outcome is refused meanwhile
            assertThat(attemptsListed(message)).isEmpty();
        } finally {
            db.sql("drop trigger if exists refuse_attempt_for_a_test on delivery.attempt").then().block();
            db.sql("drop function if exists delivery.refuse_attempt_for_a_test()").then().block();
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> attemptsListed(message).size() == 1);
        assertThat(attemptsListed(message)).singleElement().satisfies(a -> assertThat(a).containsEntry("status", 0));
        assertThat(received("/ok", message)).as("sent once").hasSize(1);
        assertThat(db.sql("select count(*) as n from delivery.pending_delivery where msg_id = :msg")
                .bind("msg", message.messageId()).map(row -> row.get("n", Long.class)).one().block()).isZero();
    }

    @Test
    void aRetryRescheduledWithItsOutcomeShowsNoAttemptOfUnknownOutcome() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);
        MessageAccepted message = message();

        pending.save(new PendingDelivery(message.messageId(), endpoint, appId, 1, PendingDelivery.State.SCHEDULED,
                Instant.now(), "retryable", "HTTP 503")).block();

        await().atMost(Duration.ofSeconds(20)).until(() -> received("/ok", message).size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> attemptsListed(message).size() == 1);
        assertThat(attemptsListed(message)).singleElement().satisfies(a -> assertThat(a).containsEntry("status", 0));
        assertNoMoreAttempts(message, 1);
    }

    @Test
    void aClaimReleasedBeforeItsAttemptStartedShowsNoAttemptOfUnknownOutcome() {
        String endpoint = endpoint(receiver.url("/ok"), null, null, false);
        MessageAccepted message = message();
        Instant leaseEnd = Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.MICROS);
        claims.claimNew(appId, message.messageId(), List.of(endpoint), leaseEnd).block();

        pending.releaseNow(message.messageId(), endpoint, leaseEnd).block();

        await().atMost(Duration.ofSeconds(20)).until(() -> received("/ok", message).size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> attemptsListed(message).size() == 1);
        assertNoMoreAttempts(message, 1);
    }

    /** Claimant keys: one no session holds, one a test session holds. */
    private static final long GONE = 4_611_686_018_427_000_001L;
    private static final long LIVE = 4_611_686_018_427_000_002L;

    private void claimedBy(MessageAccepted message, long claimant, Instant claimedAt) {
        db.sql("update delivery.pending_delivery set claimed_by = :claimant, claimed_at = :claimed where msg_id = :msg")
                .bind("claimant", claimant).bind("claimed", claimedAt.truncatedTo(ChronoUnit.MILLIS))
                .bind("msg", message.messageId())
                .then().block();
    }

    private MessageAccepted message() {
        var message = new MessageAccepted(appId, ids.next(PrefixedId.MESSAGE), "order.created", null, List.of(), "{}",
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        store(message);
        return message;
    }

    /** A second listing a poll interval later still holds only {@code count}: nothing more was written. */
    private void assertNoMoreAttempts(MessageAccepted message, int count) {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(attemptsListed(message)).hasSize(count);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> attemptsListed(MessageAccepted message) {
        var body = apiClient().get().uri("/api/v1/app/" + appId + "/attempt/msg/" + message.messageId() + "?limit=50&with_content=true")
                .exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (List<Map<String, Object>>) body.get("data");
    }
}
