package io.hookrelay.gateway.security;

import io.hookrelay.gateway.api.ErrorResponses;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * CORS from {@link CorsProperties}, ahead of authentication so a browser's preflight (which carries
 * no token) is answered here. Bearer tokens, not cookies: credentials are never allowed.
 *
 * <p>Every preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method})
 * ends here, answered or refused (403 when CORS is off), and is never passed on: it is public only
 * because nothing behind it sees it. An {@code OPTIONS} without that shape goes on to authentication
 * like any request.
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
        if (CorsUtils.isPreFlightRequest(exchange.getRequest())) {
            return cors == null ? refuse(exchange) : cors.filter(exchange, CorsFilter::refuse);
        }
        return cors == null ? chain.filter(exchange) : cors.filter(exchange, chain);
    }

    /** A preflight the CORS rules did not answer: never passed on to authentication or a service. */
    private static Mono<Void> refuse(ServerWebExchange exchange) {
        return ErrorResponses.write(exchange, HttpStatus.FORBIDDEN, "cors_not_allowed", "Cross-origin requests are not allowed");
    }
}
