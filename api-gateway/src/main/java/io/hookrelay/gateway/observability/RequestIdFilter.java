package io.hookrelay.gateway.observability;

import io.hookrelay.events.Traceparent;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Gives every request an {@code X-Request-Id} and a W3C {@code traceparent} and echoes both in the
 * response, so a client can quote either when asking what happened. The {@code traceparent} names
 * the gateway's own server span (the tracer continued the client's trace if {@link TraceparentGuard}
 * let it through), so the service's span becomes its child; without a tracer, {@link TraceContext}
 * makes one by hand. They reach the service with the other headers the gateway adds, in one copy
 * of the request's headers ({@code routing.ProxyHeaders}).
 */
@Component
@Order(RequestIdFilter.ORDER)
class RequestIdFilter implements WebFilter {

    static final int ORDER = -300;

    private final TraceContext trace = new TraceContext(ThreadLocalRandom::current);

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var headers = exchange.getRequest().getHeaders();
        String traceparent = serverSpanTraceparent(exchange);
        var ids = new RequestIds(
                trace.requestId(headers.getFirst(RequestIds.REQUEST_ID)),
                traceparent != null ? traceparent : trace.traceparent(headers.getFirst(RequestIds.TRACEPARENT)));
        exchange.getAttributes().put(RequestIds.ATTRIBUTE, ids);
        exchange.getResponse().getHeaders().set(RequestIds.REQUEST_ID, ids.requestId());
        exchange.getResponse().getHeaders().set(RequestIds.TRACEPARENT, ids.traceparent());
        return chain.filter(exchange);
    }

    /**
     * The traceparent of the request's server span, sampled or not; null when tracing is off. (Not
     * {@code Span.isNoop()}: the OpenTelemetry bridge says that of every unsampled span.)
     */
    private static String serverSpanTraceparent(ServerWebExchange exchange) {
        var observation = ServerRequestObservationContext.findCurrent(exchange.getAttributes()).orElse(null);
        TracingObservationHandler.TracingContext tracing =
                observation == null ? null : observation.get(TracingObservationHandler.TracingContext.class);
        Span span = tracing == null ? null : tracing.getSpan();
        if (span == null) {
            return null;
        }
        var context = span.context();
        return Traceparent.of(context.traceId(), context.spanId(), Boolean.TRUE.equals(context.sampled()));
    }
}
