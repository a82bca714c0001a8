package io.hookrelay.gateway.observability;

import io.hookrelay.events.Traceparent;
import io.hookrelay.gateway.auth.Identity;
import io.hookrelay.gateway.warmup.WarmUpTraffic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * One line per request on the {@code hookrelay.access} logger: method, path (no query string: it
 * may carry data), route, status, latency, token id (never the token) and request id. Not for the
 * gateway's own warm-up before it opens its port.
 */
@Component
@Order(AccessLogFilter.ORDER)
class AccessLogFilter implements WebFilter {

    static final int ORDER = -290;
    private static final Logger log = LoggerFactory.getLogger("hookrelay.access");
    private static final int MAX_PATH = 256;

    private final WarmUpTraffic warmUp;

    AccessLogFilter(WarmUpTraffic warmUp) {
        this.warmUp = warmUp;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!log.isInfoEnabled() || warmUp.carries(exchange.getRequest())) {
            return chain.filter(exchange);
        }
        long start = System.nanoTime();
        return chain.filter(exchange).doFinally(signal -> {
            var request = exchange.getRequest();
            Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
            Identity identity = exchange.getAttribute(Identity.ATTRIBUTE);
            var status = exchange.getResponse().getStatusCode();
            RequestIds ids = RequestIds.of(exchange);
            String path = request.getURI().getRawPath();
            log.info("method={} path={} route={} status={} ms={} token={} request_id={} trace_id={}{}",
                    request.getMethod().name(),
                    path.length() > MAX_PATH ? path.substring(0, MAX_PATH) + "…" : path,
                    route == null ? "gateway" : route.getId(),
                    status == null ? "-" : status.value(),
                    milliseconds(System.nanoTime() - start),
                    identity == null ? "-" : identity.tokenId(),
                    ids == null ? "-" : ids.requestId(),
                    ids == null ? "-" : Traceparent.traceId(ids.traceparent()),
                    switch (signal) {
                        case CANCEL -> " cancelled";
                        case ON_ERROR -> " error";
                        default -> "";
                    });
        });
    }

    /** {@code 12.3}: milliseconds with one decimal, without a Formatter on every request. */
    static String milliseconds(long nanos) {
        long tenths = Math.max(0, (nanos + 50_000) / 100_000);
        return (tenths / 10) + "." + (tenths % 10);
    }
}
