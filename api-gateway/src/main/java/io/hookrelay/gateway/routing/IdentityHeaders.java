package io.hookrelay.gateway.routing;

import io.hookrelay.frontdoor.InternalCredential;
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
 * Tells the services who is calling, in headers only the gateway sets
 * ({@link InternalHeaderStripper} has already removed any a client sent):
 * {@code X-HookRelay-Token-Id} (safe to log) and {@code X-HookRelay-Scope} ({@code org} or
 * {@code app:<id>}).
 *
 * <p>Nothing is forwarded without a verified identity: every public operation is answered by the
 * gateway itself, so a request that reaches a route unauthenticated means an allow-list grew by
 * mistake — refused here rather than sent to a service as nobody.
 */
@Component
class IdentityHeaders implements GlobalFilter, Ordered {

    static final String TOKEN_ID = "X-HookRelay-Token-Id";
    static final String SCOPE = InternalCredential.SCOPE_HEADER;

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Identity identity = exchange.getAttribute(Identity.ATTRIBUTE);
        if (identity == null) {
            exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            return ErrorResponses.write(exchange, HttpStatus.UNAUTHORIZED, "authentication_failed",
                    "Missing bearer token: send 'Authorization: Bearer <token>'");
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
