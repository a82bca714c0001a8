package io.hookrelay.gateway.security;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Headers for an API that browsers should never render, frame or cache, set on every answer just
 * before it is sent (so a service cannot drop them), and no header naming the software or version
 * behind it. HSTS only on HTTPS, where it means something.
 */
@Component
@Order(SecurityHeadersFilter.ORDER)
class SecurityHeadersFilter implements WebFilter {

    static final int ORDER = -280;

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var response = exchange.getResponse();
        boolean https = "https".equalsIgnoreCase(exchange.getRequest().getURI().getScheme());
        response.beforeCommit(() -> {
            var headers = response.getHeaders();
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("X-Frame-Options", "DENY");
            headers.set("Referrer-Policy", "no-referrer");
            headers.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
            headers.set("Cross-Origin-Resource-Policy", "same-origin");
            if (!headers.containsHeader("Cache-Control")) {
                headers.set("Cache-Control", "no-store");
            }
            if (https) {
                headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
            }
            headers.remove("Server");
            headers.remove("X-Powered-By");
            return Mono.empty();
        });
        return chain.filter(exchange);
    }
}
