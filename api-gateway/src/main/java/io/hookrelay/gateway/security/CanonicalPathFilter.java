package io.hookrelay.gateway.security;

import io.hookrelay.frontdoor.CanonicalPath;
import io.hookrelay.gateway.api.ErrorResponses;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses (400 {@code invalid_path}) a request whose raw path is not canonical before anything reads
 * the path — CORS, authentication, the access policy, the router — so all of them, and the service
 * behind, see one and the same path. Only the request id, access log and security headers come first
 * (they do not interpret the path, and the refusal should carry them). The services apply the same
 * rule ({@link CanonicalPath}, module front-door) to whatever reaches them.
 */
@Component
@Order(CanonicalPathFilter.ORDER)
class CanonicalPathFilter implements WebFilter {

    static final int ORDER = -275;

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return CanonicalPath.problem(exchange.getRequest().getURI().getRawPath())
                .map(problem -> ErrorResponses.write(exchange, HttpStatus.BAD_REQUEST, CanonicalPath.ERROR_CODE, problem))
                .orElseGet(() -> chain.filter(exchange));
    }
}
