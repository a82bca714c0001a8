package io.hookrelay.gateway.security;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * CORS from {@link CorsProperties}, ahead of authentication so a browser's preflight (which carries
 * no token) is answered here. Bearer tokens, not cookies: credentials are never allowed.
 */
@Component
@Order(CorsFilter.ORDER)
class CorsFilter implements WebFilter {

    static final int ORDER = -270;

    private final WebFilter cors;

    CorsFilter(CorsProperties properties) {
        if (properties.allowedOrigins().isEmpty()) {
            this.cors = null;
            return;
        }
        var configuration = new CorsConfiguration();
        configuration.setAllowedOrigins(properties.allowedOrigins());
        configuration.setAllowedMethods(properties.allowedMethods());
        configuration.setAllowedHeaders(properties.allowedHeaders());
        configuration.setExposedHeaders(properties.exposedHeaders());
        configuration.setMaxAge(properties.maxAge());
        configuration.setAllowCredentials(false);
        var source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/api/**", configuration);
        this.cors = new CorsWebFilter(source);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return cors == null ? chain.filter(exchange) : cors.filter(exchange, chain);
    }
}
