package io.hookrelay.gateway.routing;

import io.hookrelay.gateway.api.ErrorResponses;
import io.hookrelay.gateway.auth.Identity;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Nothing is forwarded without a verified identity: every public operation is answered by the
 * gateway itself, so a request that reaches a route unauthenticated means an allow-list grew by
 * mistake — refused here rather than sent to a service as nobody. (What the service is told about
 * the caller: {@link ProxyHeaders}.)
 */
@Component
class AuthenticatedRoutesOnly implements GlobalFilter, Ordered {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Identity identity = exchange.getAttribute(Identity.ATTRIBUTE);
        if (identity == null) {
            exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            return ErrorResponses.write(exchange, HttpStatus.UNAUTHORIZED, "authentication_failed",
                    "Missing bearer token: send 'Authorization: Bearer <token>'");
        }
        return chain.filter(exchange);
    }

    /** Before any other filter of a route. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
