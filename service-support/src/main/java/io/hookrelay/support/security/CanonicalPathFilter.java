package io.hookrelay.support.security;

import io.hookrelay.frontdoor.CanonicalPath;
import io.hookrelay.support.api.ApiException;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses (400 {@code invalid_path}) every request whose raw path is not canonical, first of all
 * filters: exactly what the gateway refuses, by the same rule ({@link CanonicalPath}), so that a
 * service never decodes a percent-escape, drops a matrix parameter or resolves a dot segment that
 * the gateway's checks did not see — even when something reaches it without the gateway.
 */
@Order(-20)
public class CanonicalPathFilter implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return CanonicalPath.problem(exchange.getRequest().getURI().getRawPath())
                .<Mono<Void>>map(problem -> Mono.error(new ApiException(HttpStatus.BAD_REQUEST, CanonicalPath.ERROR_CODE, problem)))
                .orElseGet(() -> chain.filter(exchange));
    }
}
