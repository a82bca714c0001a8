package io.hookrelay.gateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class TraceparentGuardTest {

    private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void letsAValidTraceparentAndItsTracestateThroughUntouched() {
        ServerHttpRequest request = MockServerHttpRequest.get("/api/v1/app")
                .header("traceparent", VALID).header("tracestate", "vendor=1").build();

        assertThat(TraceparentGuard.guarded(request)).isSameAs(request);
    }

    @Test
    void leavesRequestsWithoutTraceContextAlone() {
        ServerHttpRequest request = MockServerHttpRequest.get("/api/v1/app").build();

        assertThat(TraceparentGuard.guarded(request)).isSameAs(request);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"})
    void dropsAMalformedTraceparentWithItsTracestateSoTheTracerStartsANewTrace(String hostile) {
        ServerHttpRequest request = MockServerHttpRequest.get("/api/v1/app")
                .header("traceparent", hostile).header("tracestate", "vendor=1").build();

        var guarded = TraceparentGuard.guarded(request).getHeaders();

        assertThat(guarded.containsHeader("traceparent")).isFalse();
        assertThat(guarded.containsHeader("tracestate")).isFalse();
    }

    @Test
    void dropsATraceparentSentTwice() {
        ServerHttpRequest request = MockServerHttpRequest.get("/api/v1/app")
                .header("traceparent", VALID, VALID.replace("00f067aa0ba902b7", "1111111111111111")).build();

        assertThat(TraceparentGuard.guarded(request).getHeaders().containsHeader("traceparent")).isFalse();
    }

    @Test
    void dropsATracestateWithoutTraceparent() {
        ServerHttpRequest request = MockServerHttpRequest.get("/api/v1/app").header("tracestate", "vendor=1").build();

        assertThat(TraceparentGuard.guarded(request).getHeaders().containsHeader("tracestate")).isFalse();
    }
}
