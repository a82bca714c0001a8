package io.hookrelay.gateway.observability;

import java.util.concurrent.ThreadLocalRandom;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Gives every request an {@code X-Request-Id} and a W3C {@code traceparent} (see
 * {@link TraceContext}) and echoes both in the response, so a client can quote either when asking
 * what happened. They reach the service with the other headers the gateway adds, in one copy of
 * the request's headers ({@code routing.ServiceHeaders}).
 */
@Component
@Order(RequestIdFilter.ORDER)
class RequestIdFilter implements WebFilter {

    static final int ORDER = -300;

    private final TraceContext trace = new TraceContext(ThreadLocalRandom::current);

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var headers = exchange.getRequest().getHeaders();
        var ids = new RequestIds(
                trace.requestId(headers.getFirst(RequestIds.REQUEST_ID)),
                trace.traceparent(headers.getFirst(RequestIds.TRACEPARENT)));
        exchange.getAttributes().put(RequestIds.ATTRIBUTE, ids);
        exchange.getResponse().getHeaders().set(RequestIds.REQUEST_ID, ids.requestId());
        exchange.getResponse().getHeaders().set(RequestIds.TRACEPARENT, ids.traceparent());
        return chain.filter(exchange);
    }
}
