package io.hookrelay.gateway.security;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which browser origins may call the API. Empty (the default) allows none: the API is for servers,
 * and a browser app should go through its own back end unless an operator opts in.
 */
@ConfigurationProperties("hookrelay.gateway.cors")
public record CorsProperties(
        @DefaultValue List<String> allowedOrigins,
        @DefaultValue({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"}) List<String> allowedMethods,
        @DefaultValue({"Authorization", "Content-Type", "idempotency-key", "X-Request-Id", "traceparent"})
                List<String> allowedHeaders,
        @DefaultValue({"X-Request-Id", "traceparent", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"})
                List<String> exposedHeaders,
        @DefaultValue("1h") Duration maxAge) {}
