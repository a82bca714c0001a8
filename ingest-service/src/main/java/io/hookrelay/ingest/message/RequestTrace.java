package io.hookrelay.ingest.message;

import io.hookrelay.events.Traceparent;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.server.ServerWebExchange;

/**
 * The trace a message continues (ADR 0018): the request's server span, which the tracer made a
 * child of the gateway's. Stored with the outbox row, it becomes the parent of delivery's spans.
 */
final class RequestTrace {

    private RequestTrace() {}

    /**
     * The {@code traceparent} naming the request's span, sampled or not; null when tracing is off.
     * (Not {@code Span.isNoop()}: the OpenTelemetry bridge says that of every unsampled span.)
     */
    static String traceparent(ServerWebExchange exchange) {
        Span span = span(exchange);
        if (span == null) {
            return null;
        }
        var context = span.context();
        return Traceparent.of(context.traceId(), context.spanId(), Boolean.TRUE.equals(context.sampled()));
    }

    /** The request's server span; null when tracing is off. */
    static Span span(ServerWebExchange exchange) {
        var observation = ServerRequestObservationContext.findCurrent(exchange.getAttributes()).orElse(null);
        TracingObservationHandler.TracingContext tracing =
                observation == null ? null : observation.get(TracingObservationHandler.TracingContext.class);
        return tracing == null ? null : tracing.getSpan();
    }
}
