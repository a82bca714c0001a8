package io.hookrelay.gateway.routing;

import io.hookrelay.frontdoor.MessageCreation;
import io.hookrelay.gateway.resilience.DownstreamProperties;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.RouteMetadataUtils;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * A request that creates a message (a message creation, a send-example) waits for ingest-service's answer at most
 * {@code hookrelay.gateway.downstream.accept-timeout} (4 s), not the 30 s every other call may take.
 * ingest answers an accept within its own deadline (2 s) once it has begun on the request, so this
 * cuts short only an ingest-service that has not even begun: its event loop behind on a saturated
 * machine, or the process stalled. The client then gets, within a bound it can plan for, the answer
 * ingest would have given — 503 with {@code Retry-After} saying the message may have been accepted
 * ({@code GatewayErrorHandler}), safe to retry with the same {@code idempotency-key}. Which requests
 * create a message is ingest's own reading ({@link MessageCreation#createsOne}).
 *
 * <p>Spring Cloud Gateway takes a call's time-out from its route's metadata; the route stays the
 * same route (its id names the service for the breakers, the metrics and the access log), only the
 * copy this exchange routes by carries the shorter time-out.
 */
@Component
class MessageCreationTimeout implements GlobalFilter, Ordered {

    private final long acceptTimeoutMillis;
    /** By route id: the route as matched, and its copy with the accept time-out. */
    private final Map<String, Shortened> shortened = new ConcurrentHashMap<>();

    private record Shortened(Route matched, Route copy) {}

    MessageCreationTimeout(DownstreamProperties downstream) {
        this.acceptTimeoutMillis = downstream.acceptTimeout().toMillis();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        var request = exchange.getRequest();
        if (route != null && MessageCreation.createsOne(request.getMethod().name(), request.getURI().getRawPath())) {
            Shortened known = shortened.get(route.getId());
            if (known == null || known.matched() != route) { // first use, or the routes were built anew
                known = new Shortened(route, withAcceptTimeout(route));
                shortened.put(route.getId(), known);
            }
            exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR, known.copy());
        }
        return chain.filter(exchange);
    }

    private Route withAcceptTimeout(Route route) {
        Map<String, Object> metadata = new HashMap<>(route.getMetadata());
        metadata.put(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR, acceptTimeoutMillis);
        return Route.async()
                .id(route.getId())
                .uri(route.getUri())
                .order(route.getOrder())
                .asyncPredicate(route.getPredicate())
                .replaceFilters(route.getFilters())
                .replaceMetadata(metadata)
                .build();
    }

    /** Just before the routing filter, which reads the time-out from the route it finds here. */
    @Override
    public int getOrder() {
        return NettyRoutingFilter.ORDER - 1;
    }
}
