package io.hookrelay.gateway.auth;

import java.util.Set;
import org.springframework.http.HttpMethod;

/**
 * The only operations answered without a token, each matched exactly on (method, raw path) — the
 * path has already been found canonical. Everything else, on any path, needs a valid token: nothing
 * is public because a prefix check missed a spelling. All of these are answered by the gateway itself,
 * never routed to a service.
 *
 * <p>CORS preflights ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method})
 * are the other public answer: {@code CorsFilter} answers every one of them before authentication and
 * never passes one on; an {@code OPTIONS} without that shape is an ordinary request and needs a token.
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
}
