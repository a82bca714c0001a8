package io.hookrelay.gateway.routing;

import io.hookrelay.frontdoor.InternalCredential;
import io.hookrelay.gateway.api.ErrorResponses;
import io.hookrelay.gateway.auth.Identity;
import io.hookrelay.gateway.observability.RequestIds;
import java.util.ArrayList;
import java.util.List;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The headers a service gets from the gateway, set in one copy of the request's headers (each
 * mutation of a request copies them all):
 *
 * <ul>
 *   <li>every {@code X-HookRelay-*} header a client sent is dropped: those carry identity and trust
 *       between the gateway and the services, and only the gateway sets them;
 *   <li>the internal credential {@code X-HookRelay-Internal-Token};
 *   <li>who is calling: {@code X-HookRelay-Token-Id} (safe to log) and {@code X-HookRelay-Scope}
 *       ({@code org} or {@code app:<id>});
 *   <li>the request's {@code X-Request-Id} and {@code traceparent} ({@link RequestIds}).
 * </ul>
 *
 * <p>Nothing is forwarded without a verified identity: every public operation is answered by the
 * gateway itself, so a request that reaches a route unauthenticated means an allow-list grew by
 * mistake — refused here rather than sent to a service as nobody.
 */
@Component
class ServiceHeaders implements GlobalFilter, Ordered {

    static final String TOKEN_ID = "X-HookRelay-Token-Id";
    static final String SCOPE = InternalCredential.SCOPE_HEADER;
    private static final String PREFIX = "x-hookrelay-";

    private final ServiceCredential credential;

    ServiceHeaders(ServiceCredential credential) {
        this.credential = credential;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Identity identity = exchange.getAttribute(Identity.ATTRIBUTE);
        if (identity == null) {
            exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            return ErrorResponses.write(exchange, HttpStatus.UNAUTHORIZED, "authentication_failed",
                    "Missing bearer token: send 'Authorization: Bearer <token>'");
        }
        RequestIds ids = RequestIds.of(exchange);
        var request = exchange.getRequest().mutate()
                .headers(headers -> {
                    dropInternalHeaders(headers);
                    headers.set(InternalCredential.HEADER, credential.token());
                    headers.set(TOKEN_ID, identity.tokenId());
                    headers.set(SCOPE, identity.scope());
                    if (ids != null) {
                        ids.writeTo(headers);
                    }
                })
                .build();
        return chain.filter(exchange.mutate().request(request).build());
    }

    private static void dropInternalHeaders(HttpHeaders headers) {
        List<String> internal = null;
        for (String name : headers.headerNames()) {
            if (name.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
                if (internal == null) {
                    internal = new ArrayList<>(2);
                }
                internal.add(name);
            }
        }
        if (internal != null) {
            internal.forEach(headers::remove);
        }
    }

    /** Before any other filter of a route, so nothing sees the client's own X-HookRelay-* headers. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
