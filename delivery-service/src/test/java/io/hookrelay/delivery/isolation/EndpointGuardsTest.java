package io.hookrelay.delivery.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointGuardsTest {

    private final EndpointGuards guards = new EndpointGuards(
            new IsolationProperties(2, 50, 4, 4, Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofMinutes(10), null));

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
                new IsolationProperties(100, 50, 4, 4, Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofMinutes(10), null));
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
                new IsolationProperties(100, 50, 4, 4, Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofMinutes(10), null));
        generous.admit("ep_changed", 1);
        assertThat(generous.admit("ep_changed", 1)).isInstanceOf(Admission.Deferred.class);

        assertThat(generous.admit("ep_changed", null)).isInstanceOf(Admission.Admitted.class);
    }

    private static EndpointPermit permit(Admission admission) {
        assertThat(admission).isInstanceOf(Admission.Admitted.class);
        return ((Admission.Admitted) admission).permit();
    }
}
