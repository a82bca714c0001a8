package io.hookrelay.gateway.auth;

import java.util.Set;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;

/**
 * The only operations answered without a token, each matched exactly on (method, raw path) — the
 * path has already been found canonical. Everything else, on any path, needs a valid token: nothing
 * is public because a prefix check missed a spelling. All of these are answered by the gateway itself,
 * never routed to a service.
 *
 * <p>CORS preflights ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method})
 * are the other public answer: {@code CorsFilter} answers every one of them before authentication and
 * never passes one on; an {@code OPTIONS} without that shape is an ordinary request and needs a token.
 *
 * <p>Actuator (probes and metrics) on the management server, a port of its own that is never
 * published, answers without a token: the kubelet and Prometheus carry none. Only actuator's paths:
 * Boot applies the gateway's web filters, controllers and routes to the management port too, so
 * anything else there is the API and needs a token like anywhere.
 */
final class PublicOperations {

    private record Operation(HttpMethod method, String path) {}

    private static final Set<Operation> PUBLIC = Set.of(
            new Operation(HttpMethod.GET, "/api/v1/health"),
            new Operation(HttpMethod.HEAD, "/api/v1/health"),
            new Operation(HttpMethod.GET, "/api/v1/health/"),
            new Operation(HttpMethod.HEAD, "/api/v1/health/"),
            new Operation(HttpMethod.GET, "/api/v1/health/ping"),
            new Operation(HttpMethod.HEAD, "/api/v1/health/ping"),
            new Operation(HttpMethod.GET, "/api/v1/openapi.json"));

    private PublicOperations() {}

    static boolean isPublic(HttpMethod method, String rawPath) {
        return PUBLIC.contains(new Operation(method, rawPath));
    }

    /** True for actuator's own paths ({@code management.endpoints.web.base-path}, left at {@code /actuator}) on the management server. */
    static boolean isActuatorOnManagementServer(ServerWebExchange exchange) {
        String path = exchange.getRequest().getURI().getRawPath();
        return (path.equals("/actuator") || path.startsWith("/actuator/"))
                && WebServerApplicationContext.hasServerNamespace(exchange.getApplicationContext(), "management");
    }
}
