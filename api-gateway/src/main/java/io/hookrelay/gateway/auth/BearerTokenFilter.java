package io.hookrelay.gateway.auth;

import io.hookrelay.gateway.GatewayProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Requires {@code Authorization: Bearer <token>} on the API (health excepted), compared in
 * constant time. A missing or wrong token is a 401 with a Svix-style body.
 */
@Component
@Order(-100)
class BearerTokenFilter implements WebFilter {

    private static final String PREFIX = "Bearer ";

    private final byte[] adminToken;

    BearerTokenFilter(GatewayProperties properties) {
        this.adminToken = properties.adminToken().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().value();
        if (!path.startsWith("/api/") || path.equals("/api/v1/health") || path.startsWith("/api/v1/health/")
                || path.equals("/api/v1/openapi.json")) {
            return chain.filter(exchange);
        }
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return unauthorized(exchange, "Missing bearer token: send 'Authorization: Bearer <token>'");
        }
        byte[] presented = authorization.substring(PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(adminToken, presented)) {
            return unauthorized(exchange, "Invalid token");
        }
        return chain.filter(exchange);
    }

    private static Mono<Void> unauthorized(ServerWebExchange exchange, String detail) {
        var response = exchange.getResponse();
        response.setStatusCode(HttpStatus.UNAUTHORIZED);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        byte[] body = ("{\"code\":\"authentication_failed\",\"detail\":\"" + detail + "\"}").getBytes(StandardCharsets.UTF_8);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
