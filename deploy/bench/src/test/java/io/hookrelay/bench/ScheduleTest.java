package io.hookrelay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void spacesSendTimesEvenlyFromTheStartAtTheRate() {
        var schedule = Schedule.of(1_000, 1000, Duration.ofSeconds(60));

        assertThat(schedule.count()).isEqualTo(60_000);
        assertThat(schedule.dueNanos(0)).isEqualTo(1_000);
        assertThat(schedule.dueNanos(1)).isEqualTo(1_000 + 1_000_000);
        assertThat(schedule.dueNanos(59_999)).isEqualTo(1_000 + 59_999_000_000L);
    }

    @Test
    void roundingDoesNotAccumulateOverALongRun() {
        var schedule = Schedule.of(0, 3, Duration.ofSeconds(3600));

        assertThat(schedule.dueNanos(3)).isEqualTo(1_000_000_000L);
        assertThat(schedule.dueNanos(10_800 - 1)).isEqualTo(3_599_666_666_667L);
    }

    @Test
    void aSendTimeDoesNotDependOnWhenEarlierMessagesWereAnswered() {
        var schedule = Schedule.of(5_000, 500, Duration.ofSeconds(2));

        assertThat(schedule.dueNanos(700)).isEqualTo(5_000 + 1_400_000_000L);
    }

    @Test
    void findsTheFirstMessageDueAfterAMoment() {
        var schedule = Schedule.of(0, 1000, Duration.ofSeconds(1));

        assertThat(schedule.firstDueAfter(-5)).isZero();
        assertThat(schedule.firstDueAfter(2_500_000)).isEqualTo(3);
        assertThat(schedule.firstDueAfter(5_000_000_000L)).isEqualTo(1000);
    }
}
