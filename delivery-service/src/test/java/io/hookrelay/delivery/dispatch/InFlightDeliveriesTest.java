package io.hookrelay.delivery.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookrelay.delivery.isolation.EndpointGuards;
import io.hookrelay.delivery.retry.NoRoom;
import io.hookrelay.delivery.isolation.IsolationProperties;
import io.hookrelay.events.MessageAccepted;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class InFlightDeliveriesTest {

    /** The lease and request timeout of {@link #started}: an attempt must start 16 s before its lease ends. */
    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ControlledAttempts attempts = new ControlledAttempts();
    private final List<DeliveryTask> handedBack = new CopyOnWriteArrayList<>();
    /** Endpoints whose own slots and line are taken. */
    private final Set<String> fullEndpoints = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean failHandBacks = new AtomicBoolean();
    private final AtomicInteger messages = new AtomicInteger();
    private InFlightDeliveries inFlight;

    @AfterEach
    void finishEverything() {
        attempts.completeAtOnce = true;
        List.copyOf(attempts.started).forEach(Started::written);
        inFlight.stop();
    }

    @Test
    void anAttemptBeyondItsApplicationsShareWaitsAndStartsWhenARequestIsOverNotWhenItsOutcomeIsWritten() {
        inFlight = started(10, 2);
        Started first = start("app_a");
        start("app_a");

        DeliveryTask third = task("app_a");
        assertThat(inFlight.offer(third)).as("taken, to wait for room").isTrue();
        assertThat(attempts.started).as("a share of 2: the third waits").hasSize(2);
        assertThat(inFlight.waiting()).isEqualTo(1);
        assertThat(counted("waited", "application_share")).isEqualTo(1);
        assertThat(inFlight.fullApplications()).containsExactly("app_a");

        first.sent();

        assertThat(attempts.started).as("the first's request is over, its outcome not yet written").hasSize(3);
        assertThat(attempts.started.getLast().task()).isSameAs(third);
        assertThat(inFlight.waiting()).isZero();
        assertThat(inFlight.available()).as("the outcome being written still holds its process slot").isEqualTo(7);

        first.written();

        assertThat(inFlight.available()).isEqualTo(8);
        assertThat(handedBack).isEmpty();
    }

    @Test
    void theProcessSlotsBoundAttemptsWhoseOutcomeIsNotWrittenYet() {
        inFlight = started(2, 2);
        Started first = start("app_a");
        Started second = start("app_b");
        first.sent();
        second.sent();

        assertThat(inFlight.offer(task("app_c"))).isTrue();
        assertThat(attempts.started)
                .as("two requests over whose outcomes are still being written: a crash would repeat them")
                .hasSize(2);
        assertThat(counted("waited", "process_full")).isEqualTo(1);

        second.written();

        assertThat(attempts.started).hasSize(3);
        assertThat(attempts.started.getLast().task().message().appId()).isEqualTo("app_c");
    }

    @Test
    void waitingAttemptsStartInTheOrderTheyCameAndTheApplicationsTakeTurnsAtTheRoom() {
        inFlight = started(4, 4);
        List<Started> busy = List.of(start("app_c"), start("app_c"), start("app_c"), start("app_c"));
        DeliveryTask a1 = task("app_a");
        DeliveryTask a2 = task("app_a");
        DeliveryTask b1 = task("app_b");
        inFlight.offer(a1);
        inFlight.offer(a2);
        inFlight.offer(b1);
        assertThat(inFlight.waiting()).isEqualTo(3);

        busy.get(0).written();
        assertThat(tasksStartedAfter(4)).as("application a waited first").containsExactly(a1);
        busy.get(1).written();
        assertThat(tasksStartedAfter(4)).as("then b's turn, though a2 waited before b1").containsExactly(a1, b1);
        busy.get(2).written();
        assertThat(tasksStartedAfter(4)).containsExactly(a1, b1, a2);
        assertThat(inFlight.waiting()).isZero();
    }

    @Test
    void anApplicationWithoutRoomHoldsUpNoOtherWaitingApplication() {
        inFlight = started(4, 2);
        start("app_a");
        start("app_a");
        Started c = start("app_c");
        start("app_c");
        DeliveryTask a1 = task("app_a");
        DeliveryTask b1 = task("app_b");
        inFlight.offer(a1);
        inFlight.offer(b1);

        c.written();

        assertThat(tasksStartedAfter(4)).as("a is at its share; b takes the process slot").containsExactly(b1);
        assertThat(inFlight.waiting()).isEqualTo(1);
    }

    @Test
    void aLaterAttemptOfAnApplicationStartsAfterItsEarlierOnesWhateverTheReasonTheyWait() {
        inFlight = started(10, 1);
        Started first = start("app_a");
        DeliveryTask early = task("app_a");
        DeliveryTask late = task("app_a");
        inFlight.offer(early);
        inFlight.offer(late);

        first.sent();
        assertThat(tasksStartedAfter(1)).containsExactly(early);

        attempts.started.getLast().sent();
        assertThat(tasksStartedAfter(1)).containsExactly(early, late);
    }

    @Test
    void anAttemptForAnEndpointWithoutRoomStaysWithTheCallerWhoPacesItselfToTheReceiver() {
        inFlight = started(10, 5);
        fullEndpoints.add("ep_busy");

        assertThat(inFlight.offer(task("app_a", "ep_busy"))).isFalse();
        assertThat(counted("refused", "endpoint_full")).isEqualTo(1);
        assertThat(inFlight.waiting()).isZero();
    }

    /**
     * What the retry poller must not claim: the applications without room, the endpoints whose
     * own slots are taken, and those with as many attempts in line as one endpoint may have.
     */
    @Test
    void saysWhichApplicationsAndEndpointsHaveNoRoom() {
        inFlight = started(2, 2);
        assertThat(inFlight.noRoom()).isEqualTo(NoRoom.NONE);
        fullEndpoints.add("ep_busy");
        start("app_a");
        start("app_a");
        assertThat(inFlight.offer(task("app_b", "ep_line"))).isTrue();
        assertThat(inFlight.noRoom()).as("one of the two places ep_line may have in line")
                .isEqualTo(new NoRoom(Set.of("app_a"), Set.of("ep_busy")));

        assertThat(inFlight.offer(task("app_b", "ep_line"))).isTrue();

        assertThat(inFlight.noRoom()).isEqualTo(new NoRoom(Set.of("app_a"), Set.of("ep_busy", "ep_line")));
    }

    @Test
    void anAttemptWaitingBehindOthersForItsBusyEndpointHoldsUpNoOtherEndpointOfItsApplication() {
        inFlight = started(10, 1);
        Started first = start("app_a");
        fullEndpoints.add("ep_busy");
        DeliveryTask x = task("app_a");
        DeliveryTask busy = task("app_a", "ep_busy");
        DeliveryTask other = task("app_a", "ep_other");
        inFlight.offer(x);
        assertThat(inFlight.offer(busy)).as("behind x: it waits, though its endpoint has no room").isTrue();
        inFlight.offer(other);

        first.sent();
        assertThat(tasksStartedAfter(1)).containsExactly(x);
        attempts.started.getLast().sent();
        assertThat(tasksStartedAfter(1)).as("the busy endpoint's attempt waits; the one behind it does not").containsExactly(x, other);

        fullEndpoints.remove("ep_busy");
        attempts.started.getLast().sent();
        assertThat(tasksStartedAfter(1)).containsExactly(x, other, busy);
    }

    @Test
    void anEndpointMayHaveNoMoreAttemptsWaitingThanTheProcessHasSlots() {
        inFlight = started(2, 1);
        start("app_a");
        assertThat(inFlight.offer(task("app_a", "ep_x"))).isTrue();
        assertThat(inFlight.offer(task("app_a", "ep_x"))).isTrue();

        assertThat(inFlight.offer(task("app_a", "ep_x"))).as("two waiting for ep_x, as many as the process has slots").isFalse();
        assertThat(counted("refused", "waiting_full")).isEqualTo(1);
        assertThat(inFlight.offer(task("app_a", "ep_y"))).isTrue();
    }

    @Test
    void anAttemptBehindAFullLineStartsIfThereIsRoomForIt() {
        inFlight = started(2, 2);
        Started first = start("app_a");
        start("app_b");
        fullEndpoints.add("ep_busy");
        // four places for app_a (half of eight); app_a's share of 2 has room, the process has none
        for (int i = 0; i < 4; i++) {
            assertThat(inFlight.offer(task("app_a", "ep_busy" + i))).isTrue();
        }
        fullEndpoints.addAll(List.of("ep_busy0", "ep_busy1", "ep_busy2", "ep_busy3"));
        first.written();
        assertThat(attempts.started).as("the slot freed finds only endpoints without room").hasSize(2);

        DeliveryTask healthy = task("app_a", "ep_healthy");
        assertThat(inFlight.offer(healthy)).as("no place left in the line, but room to start").isTrue();
        assertThat(attempts.started.getLast().task()).isSameAs(healthy);
    }

    @Test
    void aHandBackThatFailsLeavesTheLinesWorking() {
        inFlight = started(10, 1, Duration.ofMillis(50));
        failHandBacks.set(true);
        Started first = start("app_a");
        inFlight.offer(task("app_a"));
        await().atMost(Duration.ofSeconds(5)).until(() -> inFlight.waiting() == 0);
        failHandBacks.set(false);

        DeliveryTask next = task("app_a");
        inFlight.offer(next);
        first.sent();

        assertThat(attempts.started.getLast().task()).as("the lines still drain").isSameAs(next);
    }

    @Test
    void anAttemptThatWaitedLongerThanTheRoomWaitIsHandedBackAndNeverStarts() {
        inFlight = started(10, 1, Duration.ofMillis(100));
        Started first = start("app_a");
        DeliveryTask waiting = task("app_a");
        inFlight.offer(waiting);

        await().atMost(Duration.ofSeconds(5)).until(() -> !handedBack.isEmpty());

        assertThat(handedBack).containsExactly(waiting);
        assertThat(inFlight.waiting()).isZero();
        assertThat(counted("refused", "waited_too_long")).isEqualTo(1);
        first.sent();
        assertThat(attempts.started).as("handed back, so not started as well").hasSize(1);
    }

    @Test
    void anAttemptWaitsNoLongerThanItsLeaseAllowsForItsRequestAndOutcomeWhateverTheRoomWait() {
        inFlight = started(10, 1, Duration.ofSeconds(30));
        Started first = start("app_a");
        // its latest start is 300 ms away: the request (15 s) and the outcome's margin (1 s) must fit in the lease
        DeliveryTask leaseEndingSoon = task("app_a", null,
                Instant.now().plus(REQUEST_TIMEOUT).plus(DeliveryProperties.OUTCOME_MARGIN).plusMillis(300));
        long offered = System.nanoTime();
        assertThat(inFlight.offer(leaseEndingSoon)).as("taken, to wait for room").isTrue();

        await().atMost(Duration.ofSeconds(5)).until(() -> !handedBack.isEmpty());

        assertThat(Duration.ofNanos(System.nanoTime() - offered)).as("handed back at its latest start, not after room-wait")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(handedBack).containsExactly(leaseEndingSoon);
        assertThat(counted("refused", "waited_too_long")).isEqualTo(1);
        first.sent();
        assertThat(attempts.started).as("handed back, so not started as well").hasSize(1);
    }

    @Test
    void anAttemptWhoseLeaseCannotOutlastItsRequestIsNeitherStartedNorLinedUpEvenWithRoom() {
        inFlight = started(10, 5);
        DeliveryTask tooLate = task("app_a", null, Instant.now().plus(REQUEST_TIMEOUT));
        DeliveryTask leaseOver = task("app_a", null, Instant.now().minusSeconds(1));

        assertThat(inFlight.offer(tooLate)).as("the caller keeps it, to release its row").isFalse();
        assertThat(inFlight.offer(leaseOver, Duration.ofMillis(200)).block()).isFalse();

        assertThat(attempts.started).isEmpty();
        assertThat(inFlight.waiting()).isZero();
        assertThat(handedBack).isEmpty();
        assertThat(counted("refused", "waited_too_long")).isEqualTo(2);
        start("app_a");
    }

    @Test
    void anAttemptWithoutTimeLeftInItsLeaseIsNotLinedUpBehindItsApplicationsWaitingAttempts() {
        inFlight = started(10, 1);
        start("app_a");
        assertThat(inFlight.offer(task("app_a"))).as("a first one waits").isTrue();

        assertThat(inFlight.offer(task("app_a", null, Instant.now().plus(REQUEST_TIMEOUT)))).isFalse();

        assertThat(inFlight.waiting()).as("only the first waits").isEqualTo(1);
        assertThat(counted("refused", "waited_too_long")).isEqualTo(1);
    }

    @Test
    void theLinesHoldAtMostFourAttemptsPerProcessSlotThenTheCallerKeepsTheAttempt() {
        inFlight = started(2, 1);
        start("app_a");
        start("app_b");
        for (String app : List.of("app_a", "app_a", "app_a", "app_a", "app_b", "app_b", "app_b", "app_b")) {
            assertThat(inFlight.offer(task(app))).isTrue();
        }
        assertThat(inFlight.waiting()).isEqualTo(8);

        assertThat(inFlight.offer(task("app_c"))).as("eight waiting, four per slot").isFalse();
        assertThat(counted("refused", "waiting_full")).isEqualTo(1);
        assertThat(handedBack).as("refused at the offer: the caller keeps it").isEmpty();
        assertThat(attempts.started).hasSize(2);
    }

    @Test
    void oneApplicationFillsAtMostHalfTheLines() {
        inFlight = started(2, 1);
        start("app_a");
        start("app_b");
        for (int i = 0; i < 4; i++) {
            assertThat(inFlight.offer(task("app_a"))).isTrue();
        }

        assertThat(inFlight.offer(task("app_a"))).as("four of eight places taken by application a").isFalse();
        assertThat(inFlight.offer(task("app_c"))).as("another application still finds a place").isTrue();
        assertThat(inFlight.waiting()).isEqualTo(5);
    }

    @Test
    void manyWaitingAttemptsThatEndAtOnceStartOneAfterAnotherWithoutRecursing() {
        inFlight = started(5_000, 1);
        Started first = start("app_a");
        for (int i = 0; i < 10_000; i++) {
            inFlight.offer(task("app_a"));
        }
        attempts.completeAtOnce = true;

        first.written();

        assertThat(attempts.started).hasSize(10_001);
        assertThat(inFlight.waiting()).isZero();
        assertThat(inFlight.available()).isEqualTo(5_000);
    }

    @Test
    void underConcurrentOffersAndEndingsEveryAttemptStartsOrIsHandedBackExactlyOnce() throws InterruptedException {
        inFlight = started(8, 3, Duration.ofMillis(200));
        var endings = java.util.concurrent.Executors.newFixedThreadPool(4);
        attempts.onStart = started -> endings.execute(() -> {
            sleep(ThreadLocalRandom.current().nextInt(3));
            started.sent();
            sleep(ThreadLocalRandom.current().nextInt(2));
            started.written();
        });
        List<DeliveryTask> refused = new CopyOnWriteArrayList<>();
        List<Thread> offering = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            offering.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 2_000; i++) {
                    if (i % 20 == 0) {
                        sleep(1);
                    }
                    DeliveryTask task = task("app_" + (i + thread) % 5);
                    if (!inFlight.offer(task)) {
                        refused.add(task);
                    }
                }
            }));
        }
        for (Thread thread : offering) {
            thread.join();
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> inFlight.waiting() == 0 && inFlight.available() == 8);
        endings.shutdown();

        List<DeliveryTask> accounted = new ArrayList<>(tasksStartedAfter(0));
        accounted.addAll(handedBack);
        accounted.addAll(refused);
        assertThat(accounted).as("every offered attempt started, handed back or refused, and only one of them, once")
                .hasSize(8_000)
                .doesNotHaveDuplicates();
        assertThat(counted("waited", "application_share") + counted("waited", "process_full")
                + counted("waited", "behind_others")).as("the lines were used").isPositive();
        assertThat(inFlight.fullApplications()).isEmpty();
    }

    @Test
    void aShareIsGivenBackOnceHoweverOftenTheAttemptSaysItIsSentAndWhetherItSucceedsOrFails() {
        inFlight = started(10, 2);
        Started first = start("app_a");
        start("app_a");
        first.sent();
        first.sent();
        first.failed();
        start("app_a");

        inFlight.offer(task("app_a"));
        assertThat(attempts.started)
                .as("a share of 2 held by the second and third attempts: the first gave its place back once")
                .hasSize(3);
    }

    @Test
    void anAttemptThatEndsWithoutSayingItWasSentGivesItsPlaceBack() {
        inFlight = started(10, 1);
        start("app_a").failed();

        start("app_a");
        assertThat(inFlight.available()).isEqualTo(9);
    }

    @Test
    void anApplicationsOutcomesNotYetWrittenAreHeldToHalfTheProcessSoOthersKeepRoom() {
        inFlight = started(4, 1);
        start("app_a").sent();
        start("app_a").sent();

        inFlight.offer(task("app_a"));
        assertThat(attempts.started)
                .as("no request out, but two of its outcomes wait for the database: half of 4 slots")
                .hasSize(2);
        assertThat(inFlight.fullApplications()).containsExactly("app_a");
        start("app_b");
    }

    @Test
    void stoppingHandsBackWhatWaitsAndWaitsForOutcomesStillBeingWritten() throws InterruptedException {
        inFlight = started(4, 1);
        Started started = start("app_a");
        DeliveryTask waiting = task("app_a");
        inFlight.offer(waiting);
        started.sent();
        assertThat(attempts.started).hasSize(2);
        DeliveryTask stillWaiting = task("app_a");
        inFlight.offer(stillWaiting);
        var written = new AtomicBoolean();
        Thread writer = Thread.ofVirtual().start(() -> {
            sleep(300);
            written.set(true);
            attempts.completeAtOnce = true;
            List.copyOf(attempts.started).forEach(Started::written);
        });

        inFlight.stop();

        assertThat(written).as("stop returned only after the outcomes were written").isTrue();
        assertThat(handedBack).as("what waited is handed back, not started").containsExactly(stillWaiting);
        assertThat(attempts.started).hasSize(2);
        assertThat(inFlight.offer(task("app_b"))).as("nothing starts once stopped").isFalse();
        writer.join();
    }

    private InFlightDeliveries started(int maxInFlight, int perApplication) {
        return started(maxInFlight, perApplication, Duration.ofSeconds(10));
    }

    private InFlightDeliveries started(int maxInFlight, int perApplication, Duration roomWait) {
        var properties = new DeliveryProperties(Duration.ofSeconds(5), REQUEST_TIMEOUT, DataSize.ofKilobytes(4), 10, "test",
                maxInFlight, LEASE, perApplication, Duration.ofMillis(200), roomWait);
        var guards = new EndpointGuards(new IsolationProperties(20, 50, 20, 10, Duration.ofSeconds(30),
                Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofSeconds(1), 100)) {
            @Override
            public boolean hasRoom(String endpointId) {
                return !fullEndpoints.contains(endpointId);
            }

            @Override
            public Set<String> fullEndpoints() {
                return Set.copyOf(fullEndpoints);
            }
        };
        InFlightDeliveries.HandBack handBack = task -> {
            if (failHandBacks.get()) {
                throw new IllegalStateException("the database is gone");
            }
            handedBack.add(task);
        };
        var deliveries = new InFlightDeliveries(attempts, guards, handBack, properties, meters, Clock.systemUTC());
        deliveries.start();
        return deliveries;
    }

    /** Offers an attempt that must start at once. */
    private Started start(String appId) {
        int before = attempts.started.size();
        assertThat(inFlight.offer(task(appId))).isTrue();
        assertThat(attempts.started).as("started at once").hasSize(before + 1);
        return attempts.started.getLast();
    }

    private List<DeliveryTask> tasksStartedAfter(int skipped) {
        return attempts.started.stream().skip(skipped).map(Started::task).toList();
    }

    private DeliveryTask task(String appId) {
        return task(appId, null);
    }

    private DeliveryTask task(String appId, String endpointId) {
        return task(appId, endpointId, Instant.now().plus(LEASE));
    }

    /** An attempt to {@code endpointId}, or to an endpoint of its own when null, whose row is leased until {@code leaseEnd}. */
    private DeliveryTask task(String appId, String endpointId, Instant leaseEnd) {
        String messageId = "msg_" + messages.incrementAndGet();
        var message = new MessageAccepted(appId, messageId, "user.created", null, List.of(), "{}",
                Instant.parse("2026-12-01T10:00:00Z"), null);
        var endpoint = new EndpointTarget(endpointId == null ? "ep_" + messageId : endpointId, appId, "http://127.0.0.1:9/", List.of(), List.of(),
                List.of("whsec_dGVzdA=="), null, Map.of());
        return DeliveryTask.first(message, endpoint, null, leaseEnd);
    }

    private double counted(String meter, String reason) {
        return meters.get("hookrelay.delivery.handover." + meter).tag("reason", reason).counter().count();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Attempts that stay in flight until the test says their request is over and their outcome
     * written, or, once {@link #completeAtOnce}, end as soon as they start.
     */
    private static final class ControlledAttempts implements InFlightDeliveries.Attempts {

        final List<Started> started = Collections.synchronizedList(new ArrayList<>());
        volatile boolean completeAtOnce;
        volatile java.util.function.Consumer<Started> onStart = each -> { };

        @Override
        public Mono<Void> run(DeliveryTask task, Runnable sent) {
            var outcome = Sinks.<Void>one();
            var each = new Started(task, sent, outcome);
            started.add(each);
            onStart.accept(each);
            if (completeAtOnce) {
                sent.run();
                return Mono.empty();
            }
            return outcome.asMono();
        }
    }

    private record Started(DeliveryTask task, Runnable sentCallback, Sinks.One<Void> outcome) {

        void sent() {
            sentCallback.run();
        }

        void written() {
            outcome.tryEmitEmpty();
        }

        void failed() {
            outcome.tryEmitError(new IllegalStateException("outcome not written"));
        }
    }
}
