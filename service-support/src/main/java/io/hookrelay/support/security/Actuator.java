package io.hookrelay.support.security;

import org.springframework.web.server.ServerWebExchange;

/** The actuator endpoints (probes, metrics), which answer without the gateway's credential or a scope. */
final class Actuator {

    private static final String PATH = "/actuator";

    private Actuator() {}

    /** {@code /actuator} and below, not {@code /actuatorX}: a prefix check must stop at a segment. */
    static boolean isActuator(ServerWebExchange exchange) {
        String path = exchange.getRequest().getURI().getRawPath();
        return path.equals(PATH) || path.startsWith(PATH + "/");
    }
}
