package io.hookrelay.ingest.api;

import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;

/** Requests that filters of several features treat apart. */
public final class Routes {

    private static final String MESSAGES_PREFIX = "/api/v1/app/";
    private static final String MESSAGES_SUFFIX = "/msg";

    private Routes() {}

    /** {@code POST /api/v1/app/{app}/msg} and nothing else (no allocation: index checks only). */
    public static boolean isMessageCreation(ServerWebExchange exchange) {
        if (exchange.getRequest().getMethod() != HttpMethod.POST) {
            return false;
        }
        String path = exchange.getRequest().getURI().getRawPath();
        return path.startsWith(MESSAGES_PREFIX)
                && path.endsWith(MESSAGES_SUFFIX)
                && path.length() > MESSAGES_PREFIX.length() + MESSAGES_SUFFIX.length()
                && path.indexOf('/', MESSAGES_PREFIX.length()) == path.length() - MESSAGES_SUFFIX.length();
    }
}
