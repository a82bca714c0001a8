package io.hookrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.delivery.retry.ClaimantSession;
import io.hookrelay.delivery.retry.DeliveryClaims;
import io.hookrelay.events.PrefixedId;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The claims of many consumed messages share one statement, yet each caller learns only about its
 * own rows, and only once they are committed. A claimer of its own with a long window, so every
 * claim of a test lands in the same batch whatever the machine's speed.
 */
class DeliveryClaimsIT extends DeliveryIntegrationTest {

    /** Svix's MessageAttemptTriggerType. */
    private static final short SCHEDULED = 0;
    private static final short MANUAL = 1;

    @Autowired
    ClaimantSession claimant;

    private DeliveryClaims claims;

    @BeforeEach
    void claimer() {
        claims = new DeliveryClaims(db, claimant, new DeliveryClaims.Settings(500, Duration.ofSeconds(1), 1));
        claims.start();
    }

    @AfterEach
    void stopClaimer() {
        claims.stop();
    }

    @Test
    void claimsOfManyMessagesAreCommittedTogetherAndEachCompletesOnlyOnceItsRowsExist() {
        List<String> messages = new ArrayList<>();
        for (int n = 0; n < 300; n++) {
            messages.add(ids.next(PrefixedId.MESSAGE));
        }
        Map<String, Long> rowsSeenOnCompletion = new ConcurrentHashMap<>();

        Map<String, List<String>> claimed = Flux.fromIterable(messages)
                .flatMap(msg -> claimNew(appId, msg, List.of("ep_a", "ep_b"))
                        .flatMap(endpoints -> rows(msg).doOnNext(count -> rowsSeenOnCompletion.put(msg, count))
                                .thenReturn(Map.entry(msg, endpoints))), 300)
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .block();

        assertThat(claimed).hasSize(300).allSatisfy((msg, endpoints) -> assertThat(endpoints).containsExactly("ep_a", "ep_b"));
        assertThat(rowsSeenOnCompletion).hasSize(300).allSatisfy((msg, count) -> assertThat(count).isEqualTo(2));
        assertThat(db.sql("select count(distinct updated_at) from delivery.pending_delivery where app_id = :app")
                        .bind("app", appId).map(row -> row.get(0, Long.class)).one().block())
                .as("one transaction (now() is its start) for all 600 rows")
                .isEqualTo(1);
    }

    @Test
    void aDuplicateRecordWithinOneBatchIsSkippedAndTheFirstClaimOwnsTheRows() {
        String msg = ids.next(PrefixedId.MESSAGE);
        String earlier = ids.next(PrefixedId.MESSAGE);
        claimNew(appId, earlier, List.of("ep_a")).block();

        List<List<String>> results = Flux.mergeSequential(List.of(
                        claimNew(appId, msg, List.of("ep_a", "ep_b")),
                        claimNew(appId, msg, List.of("ep_b", "ep_c")),
                        claimNew(appId, earlier, List.of("ep_a"))))
                .collectList()
                .block();

        assertThat(results).containsExactly(List.of("ep_a", "ep_b"), List.of("ep_c"), List.of());
        assertThat(rows(msg).block()).isEqualTo(3);
    }

    /**
     * A record consumed again (Kafka redelivers everything since the group's last committed
     * offset) after its deliveries ended: an endpoint with an attempt on record and no row any
     * more was delivered or given up on, and is not owed the message a second time.
     */
    @Test
    void aDeliveryThatEndedBeforeItsRecordCameAgainIsNotClaimedAgain() {
        String msg = ids.next(PrefixedId.MESSAGE);
        attemptOnRecord(appId, msg, "ep_delivered");
        attemptOnRecord(appId, msg, "ep_given_up");
        String other = ids.next(PrefixedId.MESSAGE);
        attemptOnRecord(appId, other, "ep_new");

        assertThat(claimNew(appId, msg, List.of("ep_delivered", "ep_given_up", "ep_new")).block())
                .as("only the endpoint with no attempt of this message").containsExactly("ep_new");
        assertThat(rows(msg).block()).isEqualTo(1);
    }

    /**
     * The race ADR 0045 left open: the record comes again while the attempt that ends the
     * delivery is being written. The claim's statement began before that write committed, so it
     * cannot see the attempt; it finds the row the write is deleting, waits for it, and (the row
     * gone) inserts its own. The delivery must still not be owed a second time.
     */
    @Test
    void aDeliveryEndingWhileItsRecordIsClaimedAgainIsNotClaimedAgain() {
        String msg = ids.next(PrefixedId.MESSAGE);
        assertThat(claimNew(appId, msg, List.of("ep_racing")).block()).containsExactly("ep_racing");
        Connection outcome = Mono.from(db.getConnectionFactory().create()).block();
        try {
            Mono.from(outcome.beginTransaction()).block();
            execute(outcome, "insert into delivery.attempt (id, app_id, msg_id, endpoint_id, url, status,"
                    + " response_status_code, response, response_duration_ms, trigger_type, outcome, created_at)"
                    + " values ('" + ids.next(PrefixedId.ATTEMPT) + "', '" + appId + "', '" + msg + "', 'ep_racing',"
                    + " 'http://127.0.0.1:9/', 0, 204, '', 1, 0, 'delivered', now())");
            execute(outcome, "delete from delivery.pending_delivery where msg_id = '" + msg + "' and endpoint_id = 'ep_racing'");

            CompletableFuture<List<String>> again = claimNew(appId, msg, List.of("ep_racing")).toFuture();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(this::aClaimWaitsForALock);
            assertThat(again).as("the claim waits for the outcome's transaction").isNotDone();
            Mono.from(outcome.commitTransaction()).block();

            assertThat(again).succeedsWithin(Duration.ofSeconds(10)).asInstanceOf(InstanceOfAssertFactories.LIST)
                    .as("the delivery ended while the record was claimed again").isEmpty();
            assertThat(rows(msg).block()).isZero();
        } finally {
            Mono.from(outcome.close()).block();
        }
    }

    private static void execute(Connection connection, String sql) {
        Flux.from(connection.createStatement(sql).execute()).flatMap(Result::getRowsUpdated).blockLast();
    }

    /** Whether a statement inserting delivery rows is waiting for another transaction's lock. */
    private boolean aClaimWaitsForALock() {
        return db.sql("select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                        + " and query like 'insert into delivery.pending_delivery%'")
                .map(row -> row.get(0, Long.class)).one().block() > 0;
    }

    /** A person may resend a message before its record is first consumed; the scheduled chain still starts. */
    @Test
    void aResendBeforeTheRecordWasConsumedLeavesTheScheduledDeliveryToStart() {
        String msg = ids.next(PrefixedId.MESSAGE);
        attemptOnRecord(appId, msg, "ep_resent", MANUAL);

        assertThat(claimNew(appId, msg, List.of("ep_resent")).block()).containsExactly("ep_resent");
    }

    @Test
    void aBatchThatFailsWritesNothingAndEveryClaimInItSucceedsWhenTriedAgain() {
        String failing = ids.next(PrefixedId.APPLICATION);
        String sequence = "delivery.claims_it_" + failing.toLowerCase();
        db.sql("create sequence " + sequence).then().block();
        db.sql("create function delivery.claims_it_fail_once() returns trigger language plpgsql as $$ begin"
                        + " if nextval('" + sequence + "') = 1 then raise exception 'injected failure'; end if;"
                        + " return new; end $$")
                .then().block();
        db.sql("create trigger claims_it_fail_once before insert on delivery.pending_delivery for each row"
                        + " when (new.app_id = '" + failing + "') execute function delivery.claims_it_fail_once()")
                .then().block();
        try {
            String first = ids.next(PrefixedId.MESSAGE);
            String second = ids.next(PrefixedId.MESSAGE);
            var failures = new AtomicInteger();
            var rowsAfterFailure = new ConcurrentHashMap<String, Long>();

            List<List<String>> results = Flux.mergeSequential(List.of(
                            retried(claimNew(failing, first, List.of("ep_a", "ep_b")), first, failures,
                                    rowsAfterFailure),
                            retried(claimNew(appId, second, List.of("ep_a")), second, failures,
                                    rowsAfterFailure)))
                    .collectList()
                    .block();

            assertThat(failures).as("both claims were in the failed statement").hasValue(2);
            assertThat(rowsAfterFailure).as("nothing of the failed statement was written")
                    .containsExactlyInAnyOrderEntriesOf(Map.of(first, 0L, second, 0L));
            assertThat(results).containsExactly(List.of("ep_a", "ep_b"), List.of("ep_a"));
            assertThat(rows(first).block()).isEqualTo(2);
            assertThat(rows(second).block()).isEqualTo(1);
        } finally {
            db.sql("drop trigger claims_it_fail_once on delivery.pending_delivery").then().block();
            db.sql("drop function delivery.claims_it_fail_once()").then().block();
            db.sql("drop sequence " + sequence).then().block();
        }
    }

    /** As the Kafka listener does: a failed claim is tried again, never skipped. */
    private Mono<List<String>> retried(Mono<List<String>> claim, String msg, AtomicInteger failures,
            Map<String, Long> rowsAfterFailure) {
        return claim.onErrorResume(error -> {
                    failures.incrementAndGet();
                    return rows(msg).doOnNext(count -> rowsAfterFailure.put(msg, count)).then(Mono.error(error));
                })
                .retryWhen(Retry.fixedDelay(3, Duration.ofMillis(100)));
    }

    private void attemptOnRecord(String app, String msg, String endpoint) {
        attemptOnRecord(app, msg, endpoint, SCHEDULED);
    }

    private void attemptOnRecord(String app, String msg, String endpoint, short trigger) {
        db.sql("insert into delivery.attempt (id, app_id, msg_id, endpoint_id, url, status, response_status_code,"
                        + " response, response_duration_ms, trigger_type, outcome, created_at)"
                        + " values (:id, :app, :msg, :endpoint, 'http://127.0.0.1:9/', 0, 204, '', 1, :trigger, 'delivered', now())")
                .bind("id", ids.next(PrefixedId.ATTEMPT)).bind("app", app).bind("msg", msg).bind("endpoint", endpoint)
                .bind("trigger", trigger)
                .then().block();
    }

    private Mono<Long> rows(String msg) {
        return db.sql("select count(*) from delivery.pending_delivery where msg_id = :msg")
                .bind("msg", msg)
                .map(row -> row.get(0, Long.class))
                .one();
    }

    /** The endpoints whose rows the claim created. */
    private Mono<List<String>> claimNew(String app, String msg, List<String> endpointIds) {
        return claims.claimNew(app, msg, endpointIds, lease()).map(DeliveryClaims.NewClaims::endpointIds);
    }

    /** Far in the future, out of the retry poller's way. */
    private static Instant lease() {
        return Instant.now().plus(Duration.ofHours(1));
    }
}
