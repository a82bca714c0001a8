package io.hookrelay.gateway.observability;

import java.security.SecureRandom;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Gives every request an {@code X-Request-Id} and a W3C {@code traceparent} (see
 * {@link TraceContext}), sends both on to the service and echoes both in the response, so a client
 * can quote either when asking what happened.
 */
@Component
@Order(RequestIdFilter.ORDER)
class RequestIdFilter implements WebFilter {

    static final int ORDER = -300;
    static final String REQUEST_ID = "X-Request-Id";
    static final String TRACEPARENT = "traceparent";
    static final String REQUEST_ID_ATTRIBUTE = RequestIdFilter.class.getName() + ".requestId";

    private final TraceContext trace = new TraceContext(new SecureRandom());

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var headers = exchange.getRequest().getHeaders();
        String requestId = trace.requestId(headers.getFirst(REQUEST_ID));
        String traceparent = trace.traceparent(headers.getFirst(TRACEPARENT));
        exchange.getAttributes().put(REQUEST_ID_ATTRIBUTE, requestId);
        exchange.getResponse().getHeaders().set(REQUEST_ID, requestId);
        exchange.getResponse().getHeaders().set(TRACEPARENT, traceparent);
        var request = exchange.getRequest().mutate()
                .headers(h -> {
                    h.set(REQUEST_ID, requestId);
                    h.set(TRACEPARENT, traceparent);
                    h.remove("tracestate");
                })
                .build();
        return chain.filter(exchange.mutate().request(request).build());
    }
}
