package io.hookrelay.delivery.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.delivery.isolation.EndpointGuards;
import io.hookrelay.delivery.isolation.IsolationProperties;
import io.hookrelay.events.MessageAccepted;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class InFlightDeliveriesTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ControlledAttempts attempts = new ControlledAttempts();
    private final AtomicInteger messages = new AtomicInteger();
    private InFlightDeliveries inFlight;

    @AfterEach
    void finishEverything() {
        attempts.started.forEach(Started::written);
    }

    @Test
    void anApplicationGetsItsShareBackWhenItsRequestIsOverNotWhenItsOutcomeIsWritten() {
        inFlight = started(10, 2);
        Started first = start("app_a");
        start("app_a");

        assertThat(inFlight.start(task("app_a"))).as("third request of an application with a share of 2").isFalse();
        assertThat(refused("application_share")).isEqualTo(1);
        assertThat(inFlight.fullApplications()).containsExactly("app_a");

        first.sent();

        assertThat(inFlight.fullApplications()).isEmpty();
        assertThat(inFlight.start(task("app_a"))).as("a request over, its outcome not yet written").isTrue();
        assertThat(inFlight.available()).as("the outcome being written still holds its process slot").isEqualTo(7);

        first.written();

        assertThat(inFlight.available()).isEqualTo(8);
    }

    @Test
    void theProcessSlotsBoundAttemptsWhoseOutcomeIsNotWrittenYet() {
        inFlight = started(2, 2);
        Started first = start("app_a");
        Started second = start("app_b");
        first.sent();
        second.sent();

        assertThat(inFlight.start(task("app_c")))
                .as("two requests over whose outcomes are still being written: a crash would repeat them")
                .isFalse();
        assertThat(refused("process_full")).isEqualTo(1);

        second.written();

        assertThat(inFlight.start(task("app_c"))).isTrue();
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

        assertThat(inFlight.start(task("app_a")))
                .as("a share of 2 held by the second and third attempts: the first gave its place back once")
                .isFalse();
    }

    @Test
    void anAttemptThatEndsWithoutSayingItWasSentGivesItsPlaceBack() {
        inFlight = started(10, 1);
        start("app_a").failed();

        assertThat(inFlight.start(task("app_a"))).isTrue();
        assertThat(inFlight.available()).isEqualTo(9);
    }

    @Test
    void anApplicationsOutcomesNotYetWrittenAreHeldToHalfTheProcessSoOthersKeepRoom() {
        inFlight = started(4, 1);
        start("app_a").sent();
        start("app_a").sent();

        assertThat(inFlight.start(task("app_a")))
                .as("no request out, but two of its outcomes wait for the database: half of 4 slots")
                .isFalse();
        assertThat(inFlight.fullApplications()).containsExactly("app_a");
        assertThat(inFlight.start(task("app_b"))).as("another application still finds room").isTrue();
    }

    @Test
    void stoppingWaitsForOutcomesStillBeingWritten() throws InterruptedException {
        inFlight = started(4, 4);
        Started started = start("app_a");
        started.sent();
        var written = new AtomicBoolean();
        Thread writer = Thread.ofVirtual().start(() -> {
            sleep(300);
            written.set(true);
            started.written();
        });

        inFlight.stop();

        assertThat(written).as("stop returned only after the outcome was written").isTrue();
        assertThat(inFlight.start(task("app_a"))).as("nothing starts once stopped").isFalse();
        writer.join();
    }

    private InFlightDeliveries started(int maxInFlight, int perApplication) {
        var properties = new DeliveryProperties(Duration.ofSeconds(5), Duration.ofSeconds(15), DataSize.ofKilobytes(4), 10, "test",
                maxInFlight, Duration.ofSeconds(60), perApplication, Duration.ofMillis(200));
        var guards = new EndpointGuards(new IsolationProperties(20, 50, 20, 10, Duration.ofSeconds(30),
                Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofSeconds(1), 100));
        var deliveries = new InFlightDeliveries(attempts, guards, properties, meters);
        deliveries.start();
        return deliveries;
    }

    private Started start(String appId) {
        int before = attempts.started.size();
        assertThat(inFlight.start(task(appId))).isTrue();
        assertThat(attempts.started).hasSize(before + 1);
        return attempts.started.getLast();
    }

    private DeliveryTask task(String appId) {
        String messageId = "msg_" + messages.incrementAndGet();
        var message = new MessageAccepted(appId, messageId, "user.created", null, List.of(), "{}",
                Instant.parse("2026-12-01T10:00:00Z"), null);
        var endpoint = new EndpointTarget("ep_" + messageId, appId, "http://127.0.0.1:9/", List.of(), List.of(),
                List.of("whsec_dGVzdA=="), null, Map.of());
        return DeliveryTask.first(message, endpoint, null);
    }

    private double refused(String reason) {
        return meters.get("hookrelay.delivery.handover.refused").tag("reason", reason).counter().count();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Attempts that stay in flight until the test says their request is over and their outcome written. */
    private static final class ControlledAttempts implements InFlightDeliveries.Attempts {

        final List<Started> started = new ArrayList<>();

        @Override
        public Mono<Void> run(DeliveryTask task, Runnable sent) {
            var outcome = Sinks.<Void>one();
            started.add(new Started(sent, outcome));
            return outcome.asMono();
        }
    }

    private record Started(Runnable sentCallback, Sinks.One<Void> outcome) {

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
