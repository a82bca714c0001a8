package io.hookrelay.gateway.health;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the public {@code GET /api/v1/health/}.
 *
 * @param cacheFor how long one computed answer is served to everyone; callers arriving while it is
 *     being computed share that computation, so the health endpoint (public, no token) costs the
 *     token database and each service at most one probe per period however often it is called.
 *     Zero computes a fresh answer for each caller
 */
@ConfigurationProperties("hookrelay.gateway.health")
public record HealthProperties(@DefaultValue("1s") Duration cacheFor) {}
