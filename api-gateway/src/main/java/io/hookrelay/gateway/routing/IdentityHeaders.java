package io.hookrelay.gateway.routing;

import io.hookrelay.gateway.auth.Identity;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Tells the services who is calling, in headers only the gateway sets
 * ({@link InternalHeaderStripper} has already removed any a client sent):
 * {@code X-HookRelay-Token-Id} (safe to log) and {@code X-HookRelay-Scope} ({@code org} or
 * {@code app:<id>}).
 */
@Component
class IdentityHeaders implements GlobalFilter, Ordered {

    static final String TOKEN_ID = "X-HookRelay-Token-Id";
    static final String SCOPE = "X-HookRelay-Scope";

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Identity identity = exchange.getAttribute(Identity.ATTRIBUTE);
        if (identity == null) {
            return chain.filter(exchange);
        }
        var request = exchange.getRequest().mutate()
                .header(TOKEN_ID, identity.tokenId())
                .header(SCOPE, identity.scope())
                .build();
        return chain.filter(exchange.mutate().request(request).build());
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }
}
