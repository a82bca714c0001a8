package io.hookrelay.gateway.auth;

import io.hookrelay.gateway.api.ErrorResponses;
import io.hookrelay.gateway.authfailures.FailedAuthentications;
import io.hookrelay.gateway.warmup.WarmUpTraffic;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Requires {@code Authorization: Bearer <token>} on every request, whatever its path, except the
 * {@link PublicOperations} (health, the API document, actuator on the management port); verifies
 * it, applies {@link AccessPolicy} and leaves the {@link Identity} on the exchange for the rate
 * limiter, the access log and the headers sent to the services. Tokens are verified through
 * {@link FailedAuthentications}, which limits per client address how many failed verifications
 * reach the token database. The warm-up's own credential counts only on its port while it runs
 * ({@link WarmUpTraffic}).
 */
@Component
@Order(AuthenticationFilter.ORDER)
class AuthenticationFilter implements WebFilter {

    static final int ORDER = -200;
    private static final String PREFIX = "Bearer ";

    private final FailedAuthentications authentications;
    private final WarmUpTraffic warmUp;

    AuthenticationFilter(FailedAuthentications authentications, WarmUpTraffic warmUp) {
        this.authentications = authentications;
        this.warmUp = warmUp;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var request = exchange.getRequest();
        if (PublicOperations.isPublic(request.getMethod(), request.getURI().getRawPath())
                || PublicOperations.isActuatorOnManagementServer(exchange)) {
            return chain.filter(exchange);
        }
        String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return unauthorized(exchange, "Missing bearer token: send 'Authorization: Bearer <token>'");
        }
        String presented = authorization.substring(PREFIX.length()).trim();
        if (presented.isEmpty() || presented.length() > 512) {
            return unauthorized(exchange, "Invalid token");
        }
        Mono<Identity> authenticated = warmUp.admits(request, presented)
                ? Mono.just(Identity.organisation(WarmUpTraffic.TOKEN_ID))
                : authentications.authenticate(exchange, presented);
        return authenticated
                .flatMap(identity -> switch (AccessPolicy.decide(identity, request.getMethod(), request.getURI().getRawPath())) {
                    case ALLOW -> {
                        exchange.getAttributes().put(Identity.ATTRIBUTE, identity);
                        yield chain.filter(exchange).thenReturn(true);
                    }
                    case NOT_FOUND -> ErrorResponses.write(exchange, HttpStatus.NOT_FOUND, "not_found", "Entity not found")
                            .thenReturn(true);
                    case READ_ONLY -> ErrorResponses.write(exchange, HttpStatus.FORBIDDEN, "forbidden",
                                    "This token may not change this resource")
                            .thenReturn(true);
                })
                .switchIfEmpty(Mono.defer(() -> unauthorized(exchange, "Invalid token").thenReturn(true)))
                .then();
    }

    private static Mono<Void> unauthorized(ServerWebExchange exchange, String detail) {
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return ErrorResponses.write(exchange, HttpStatus.UNAUTHORIZED, "authentication_failed", detail);
    }
}
