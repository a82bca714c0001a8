package io.hookrelay.gateway.authfailures;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailureAllowanceTest {

    @Test
    void spendsItsUnitsThenRefillsOneEveryPeriod() {
        var allowance = new FailureAllowance(3, 1000, 0);

        assertThat(allowance.reserve(0)).isTrue();
        assertThat(allowance.reserve(0)).isTrue();
        assertThat(allowance.reserve(0)).isTrue();
        assertThat(allowance.reserve(0)).isFalse();
        assertThat(allowance.millisUntilNext(0)).isEqualTo(1000);
        assertThat(allowance.millisUntilNext(400)).isEqualTo(600);
        assertThat(allowance.reserve(1000)).isTrue();
        assertThat(allowance.reserve(1000)).isFalse();
    }

    @Test
    void aUnitGivenBackCanBeSpentAgainButNeverBeyondTheCapacity() {
        var allowance = new FailureAllowance(1, 60_000, 0);

        assertThat(allowance.reserve(0)).isTrue();
        allowance.giveBack();
        allowance.giveBack();

        assertThat(allowance.reserve(0)).isTrue();
        assertThat(allowance.reserve(0)).isFalse();
    }
}
