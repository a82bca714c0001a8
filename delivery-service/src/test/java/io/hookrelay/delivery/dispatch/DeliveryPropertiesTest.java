package io.hookrelay.delivery.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class DeliveryPropertiesTest {

    @Test
    void anAttemptThatWaitedForRoomMustBeAbleToEndBeforeItsRowsLeaseDoes() {
        assertThatThrownBy(() -> properties(Duration.ofSeconds(15), Duration.ofSeconds(20), Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hookrelay.delivery.room-wait (PT20S) plus request-timeout (PT15S)")
                .hasMessageContaining("shorter than lease (PT30S)");
        assertThatThrownBy(() -> properties(Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofMillis(20_500)))
                .as("a second is left to write the outcome")
                .hasMessageContaining("plus 1 s to write the outcome");
        assertThat(properties(Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofMillis(21_001)).latestStartBeforeLeaseEnd())
                .isEqualTo(Duration.ofSeconds(16));
        assertThatThrownBy(() -> properties(Duration.ofSeconds(15), Duration.ofSeconds(-1), Duration.ofSeconds(60)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDefaultsLeaveAnAttemptThatWaitedTimeWithinItsLease() {
        var defaults = properties(Duration.ofSeconds(15), null, Duration.ofSeconds(60));

        assertThat(defaults.roomWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.handoverWait()).isEqualTo(Duration.ofMillis(200));
        assertThat(defaults.maxInFlightPerApplication()).isEqualTo(250);
    }

    private static DeliveryProperties properties(Duration requestTimeout, Duration roomWait, Duration lease) {
        return new DeliveryProperties(Duration.ofSeconds(5), requestTimeout, DataSize.ofKilobytes(4), 10, "test", 1000,
                lease, null, null, roomWait);
    }
}
