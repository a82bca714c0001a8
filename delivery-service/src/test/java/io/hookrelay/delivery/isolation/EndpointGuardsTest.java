package io.hookrelay.delivery.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class EndpointGuardsTest {

    private final EndpointGuards guards = new EndpointGuards(
            new IsolationProperties(2, 50, 4, 4, Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofMinutes(10), null, 4));

    @Test
    void defersWhenTooManyRequestsToOneEndpointAreInFlight() {
        var first = permit(guards.admit("ep_1", null));
        permit(guards.admit("ep_1", null));

        assertThat(guards.admit("ep_1", null))
                .isEqualTo(new Admission.Deferred(Duration.ofSeconds(2), Admission.Reason.ENDPOINT_BUSY));

        first.release();
        assertThat(guards.admit("ep_1", null)).isInstanceOf(Admission.Admitted.class);
    }

    @Test
    void waitsItsTurnForABusyEndpointThenGoes() {
        var first = permit(guards.admit("ep_turn", null));
        permit(guards.admit("ep_turn", null));
        AtomicReference<Admission> later = new AtomicReference<>();

        guards.admitInTurn("ep_turn", null).subscribe(later::set);
        assertThat(later.get()).isNull();

        first.release();
        assertThat(later.get()).isInstanceOf(Admission.Admitted.class);
    }

    @Test
    void defersABusyEndpointOnceTheWaitIsOver() {
        var impatient = new EndpointGuards(new IsolationProperties(
                1, 50, 4, 4, Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofMillis(20), 4));
        permit(impatient.admit("ep_slow", null));

        StepVerifier.create(impatient.admitInTurn("ep_slow", null))
                .expectNext(new Admission.Deferred(Duration.ofSeconds(2), Admission.Reason.ENDPOINT_BUSY))
                .verifyComplete();
        assertThat(impatient.hasRoom("ep_slow")).isTrue();
    }

    /** What the retry poller skips: an endpoint is full only while its slots and its line are all taken. */
    @Test
    void listsAnEndpointAsFullOnlyWhileItsSlotsAndItsLineAreTaken() {
        var first = permit(guards.admit("ep_full", null));
        permit(guards.admit("ep_full", null));
        permit(guards.admit("ep_other", null));
        List<reactor.core.Disposable> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(guards.admitInTurn("ep_full", null).subscribe());
        }
        assertThat(guards.fullEndpoints()).as("slots taken, one place left in line").isEmpty();

        waiters.add(guards.admitInTurn("ep_full", null).subscribe());
        assertThat(guards.fullEndpoints()).containsExactly("ep_full");
        assertThat(guards.hasRoom("ep_full")).isFalse();

        first.release();
        assertThat(guards.fullEndpoints()).as("the first in line took the slot, so its place is free").isEmpty();
        waiters.forEach(reactor.core.Disposable::dispose);
    }

    @Test
    void aBusyEndpointDoesNotHoldUpAnother() {
        permit(guards.admit("ep_busy", null));
        permit(guards.admit("ep_busy", null));

        assertThat(guards.admit("ep_other", null)).isInstanceOf(Admission.Admitted.class);
    }

    @Test
    void opensTheCircuitAfterRepeatedRetryableFailuresAndDefersUntilItMayTryAgain() {
        for (int i = 0; i < 4; i++) {
            var permit = permit(guards.admit("ep_down", null));
            permit.failed(Duration.ofMillis(5), "HTTP 503");
            permit.release();
        }

        assertThat(guards.admit("ep_down", null))
                .isEqualTo(new Admission.Deferred(Duration.ofSeconds(30), Admission.Reason.CIRCUIT_OPEN));
        assertThat(guards.admit("ep_up", null)).isInstanceOf(Admission.Admitted.class);
    }

    @Test
    void clientErrorsDoNotOpenTheCircuit() {
        for (int i = 0; i < 10; i++) {
            var permit = permit(guards.admit("ep_400", null));
            permit.succeeded(Duration.ofMillis(5));
            permit.release();
        }

        assertThat(guards.admit("ep_400", null)).isInstanceOf(Admission.Admitted.class);
    }

    @Test
    void throttlesToTheEndpointsRate() {
        var generous = new EndpointGuards(
                new IsolationProperties(100, 50, 4, 4, Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofMinutes(10), null, 4));
        List<Admission> admissions = new ArrayList<>();

        for (int i = 0; i < 5; i++) {
            admissions.add(generous.admit("ep_throttled", 3));
        }

        assertThat(admissions).filteredOn(Admission.Admitted.class::isInstance).hasSize(3);
        assertThat(admissions.getLast()).isEqualTo(new Admission.Deferred(Duration.ofSeconds(1), Admission.Reason.THROTTLED));
        assertThat(generous.admit("ep_unthrottled", null)).isInstanceOf(Admission.Admitted.class);
    }

    @Test
    void followsAChangedThrottleRate() {
        var generous = new EndpointGuards(
                new IsolationProperties(100, 50, 4, 4, Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofMinutes(10), null, 4));
        generous.admit("ep_changed", 1);
        assertThat(generous.admit("ep_changed", 1)).isInstanceOf(Admission.Deferred.class);

        assertThat(generous.admit("ep_changed", null)).isInstanceOf(Admission.Admitted.class);
    }

    private static EndpointPermit permit(Admission admission) {
        assertThat(admission).isInstanceOf(Admission.Admitted.class);
        return ((Admission.Admitted) admission).permit();
    }
}
