package io.hookrelay.gateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

class RequestIdFilterTest {

    private final SdkTracerProvider tracing = SdkTracerProvider.builder().setSampler(Sampler.alwaysOff()).build();

    @AfterEach
    void close() {
        tracing.close();
    }

    /** Most traces are not sampled: theirs must still be the ids the services and the client get. */
    @Test
    void sendsOnTheIdsOfTheGatewaysSpanEvenWhenItsTraceIsNotSampled() {
        var span = OtelSpan.fromOtel(tracing.get("test").spanBuilder("http get").startSpan());
        var exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/app"));
        var observation = new ServerRequestObservationContext(exchange.getRequest(), exchange.getResponse(), exchange.getAttributes());
        var tracingContext = new TracingObservationHandler.TracingContext();
        tracingContext.setSpan(span);
        observation.put(TracingObservationHandler.TracingContext.class, tracingContext);
        exchange.getAttributes().put(ServerRequestObservationContext.CURRENT_OBSERVATION_CONTEXT_ATTRIBUTE, observation);

        new RequestIdFilter().filter(exchange, ignored -> Mono.empty()).block();

        String expected = "00-" + span.context().traceId() + "-" + span.context().spanId() + "-00";
        assertThat(span.context().traceId()).matches("[0-9a-f]{32}");
        assertThat(exchange.getResponse().getHeaders().getFirst("traceparent")).isEqualTo(expected);
        assertThat(RequestIds.of(exchange).traceparent()).isEqualTo(expected);
    }

    @Test
    void makesATraceparentByHandWithoutATracer() {
        var exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/app")
                .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));

        new RequestIdFilter().filter(exchange, ignored -> Mono.empty()).block();

        assertThat(RequestIds.of(exchange).traceparent()).matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01")
                .doesNotContain("00f067aa0ba902b7");
    }
}
