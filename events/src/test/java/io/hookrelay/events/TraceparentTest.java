package io.hookrelay.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceparentTest {

    @Test
    void writesVersion00WithTheSampledFlag() {
        assertThat(Traceparent.of("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", true))
                .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(Traceparent.of("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", false))
                .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
    }

    @Test
    void writesNothingForASpanWithoutIds() {
        assertThat(Traceparent.of("", "", false)).isNull();
        assertThat(Traceparent.of("0".repeat(32), "00f067aa0ba902b7", true)).isNull();
        assertThat(Traceparent.of(null, null, true)).isNull();
    }

    @Test
    void readsTheTraceIdOfWhatItWrote() {
        assertThat(Traceparent.traceId("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"))
                .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(Traceparent.traceId(null)).isNull();
        assertThat(Traceparent.traceId("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-x")).isNull();
    }
}
