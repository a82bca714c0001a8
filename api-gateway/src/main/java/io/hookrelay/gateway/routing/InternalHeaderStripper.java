package io.hookrelay.gateway.routing;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Drops every {@code X-HookRelay-*} header a client sent: those carry identity and trust between
 * the gateway and the services, and only the gateway sets them.
 */
@Component
class InternalHeaderStripper implements GlobalFilter, Ordered {

    private static final String PREFIX = "x-hookrelay-";

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        boolean present = exchange.getRequest().getHeaders().headerNames().stream()
                .anyMatch(name -> name.toLowerCase(java.util.Locale.ROOT).startsWith(PREFIX));
        if (!present) {
            return chain.filter(exchange);
        }
        var request = exchange.getRequest().mutate()
                .headers(headers -> headers.headerNames().stream()
                        .filter(name -> name.toLowerCase(java.util.Locale.ROOT).startsWith(PREFIX))
                        .toList()
                        .forEach(headers::remove))
                .build();
        return chain.filter(exchange.mutate().request(request).build());
    }

    /** Before the route filters, which add the gateway's own headers. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
