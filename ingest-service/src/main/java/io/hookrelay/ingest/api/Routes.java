package io.hookrelay.ingest.api;

import io.hookrelay.frontdoor.MessageCreation;
import org.springframework.web.server.ServerWebExchange;

/** Requests that filters of several features treat apart. */
public final class Routes {

    private Routes() {}

    /** {@code POST /api/v1/app/{app}/msg} and nothing else, as the gateway reads it ({@link MessageCreation}). */
    public static boolean isMessageCreation(ServerWebExchange exchange) {
        var request = exchange.getRequest();
        return MessageCreation.is(request.getMethod().name(), request.getURI().getRawPath());
    }

    /** Any request that creates a message: the above or send-example ({@link MessageCreation#createsOne}). */
    public static boolean createsAMessage(ServerWebExchange exchange) {
        var request = exchange.getRequest();
        return MessageCreation.createsOne(request.getMethod().name(), request.getURI().getRawPath());
    }
}
