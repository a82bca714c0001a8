package io.hookrelay.gateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TraceContextTest {

    private final TraceContext trace = new TraceContext(ThreadLocalRandom::current);

    @Test
    void continuesAValidTraceWithTheGatewayAsTheNewParent() {
        String out = trace.traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(out).matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01")
                .doesNotContain("00f067aa0ba902b7");
    }

    @Test
    void acceptsAFutureVersionWithExtraFields() {
        assertThat(trace.traceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"))
                .startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {
        "", "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01"})
    void startsANewTraceForAnythingElse(String incoming) {
        String out = trace.traceparent(incoming);
        assertThat(out).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00").doesNotContain("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void continuesOnlyWhatItWouldContinueByHand() {
        assertThat(TraceContext.continuable("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).isTrue();
        assertThat(TraceContext.continuable("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra")).isTrue();
        assertThat(TraceContext.continuable(null)).isFalse();
        assertThat(TraceContext.continuable("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra")).isFalse();
        assertThat(TraceContext.continuable("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).isFalse();
    }

    @Test
    void keepsPlainRequestIdsAndReplacesOthers() {
        assertThat(trace.requestId("req-42_a.b:c")).isEqualTo("req-42_a.b:c");
        assertThat(trace.requestId(null)).matches("[0-9a-f]{32}");
        assertThat(trace.requestId("has space")).matches("[0-9a-f]{32}");
        assertThat(trace.requestId("x".repeat(129))).matches("[0-9a-f]{32}");
        assertThat(trace.requestId("line\nbreak")).matches("[0-9a-f]{32}");
    }
}
