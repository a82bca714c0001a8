package io.hookrelay.gateway.observability;

import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * A request's {@code X-Request-Id} and W3C {@code traceparent} as the gateway decided them (see
 * {@link TraceContext}): echoed in the response, logged, and sent on to the service.
 */
public record RequestIds(String requestId, String traceparent) {

    static final String ATTRIBUTE = RequestIds.class.getName();
    static final String REQUEST_ID = "X-Request-Id";
    static final String TRACEPARENT = "traceparent";

    /** The ids of this exchange; null before {@link RequestIdFilter} ran. */
    public static RequestIds of(ServerWebExchange exchange) {
        return exchange.getAttribute(ATTRIBUTE);
    }

    /**
     * Puts both into a request to a service. The client's {@code tracestate} goes: it belongs to the
     * client's parent span, which the gateway replaced.
     */
    public void writeTo(HttpHeaders headers) {
        headers.set(REQUEST_ID, requestId);
        headers.set(TRACEPARENT, traceparent);
        headers.remove("tracestate");
    }
}
