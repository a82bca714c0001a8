package io.hookrelay.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {

    final RestartBackoff backoff = RestartBackoff.DEFAULT;

    @Test
    void doublesFromOneSecondForEachDeathInARow() {
        assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delay(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.delay(5)).isEqualTo(Duration.ofSeconds(16));
    }

    @Test
    void aServiceThatKeepsDyingIsStillRetriedAtTheCap() {
        assertThat(backoff.delay(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.delay(1_000)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aRunOfAMinuteCountsAsHealthy() {
        assertThat(backoff.wasStable(Duration.ofSeconds(59))).isFalse();
        assertThat(backoff.wasStable(Duration.ofSeconds(60))).isTrue();
    }

    @Test
    void refusesACapBelowTheFirstDelay() {
        assertThatThrownBy(() -> new RestartBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesTheSignalThatKilledAProcess() {
        assertThat(ExitStatus.describe(137)).isEqualTo("137 (SIGKILL)");
        assertThat(ExitStatus.describe(1)).isEqualTo("1");
    }
}
