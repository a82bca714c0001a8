package io.hookrelay.gateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccessLogFilterTest {

    @Test
    void writesMillisecondsWithOneDecimalRoundedToTheNearestTenth() {
        assertThat(AccessLogFilter.milliseconds(0)).isEqualTo("0.0");
        assertThat(AccessLogFilter.milliseconds(49_999)).isEqualTo("0.0");
        assertThat(AccessLogFilter.milliseconds(50_000)).isEqualTo("0.1");
        assertThat(AccessLogFilter.milliseconds(1_234_567)).isEqualTo("1.2");
        assertThat(AccessLogFilter.milliseconds(12_960_000)).isEqualTo("13.0");
        assertThat(AccessLogFilter.milliseconds(30_000_000_000L)).isEqualTo("30000.0");
    }
}
