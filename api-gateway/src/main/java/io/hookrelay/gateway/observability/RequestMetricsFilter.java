package io.hookrelay.gateway.observability;

import io.hookrelay.gateway.warmup.WarmUpTraffic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * {@code hookrelay.gateway.requests{route, status}}: every answer of the gateway, timed to the
 * moment its status line is committed (so answers written by an error handler count with their
 * real status), SLO buckets; route is {@code ingest}, {@code delivery} or {@code gateway} (answered
 * by the gateway itself: refusals, health, tokens). And {@code hookrelay.gateway.limited{limit}}:
 * refusals by the front door's limits, told apart by what the answer carries, so the limit
 * filters themselves have no metrics code. Outside every other filter, like the access log; not for
 * the gateway's own warm-up before it opens its port.
 */
@Component
@Order(RequestMetricsFilter.ORDER)
class RequestMetricsFilter implements WebFilter {

    static final int ORDER = AccessLogFilter.ORDER + 1;

    static final String[] ROUTES = {"gateway", "ingest", "delivery"};
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)
    };
    private static final int STATUSES = 600;

    private final MeterRegistry meters;
    /** Timers by route and status, made on first use: at most a few dozen ever exist. */
    private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(ROUTES.length * STATUSES);
    private final Counter tokenRate;
    private final Counter failedAuthentications;
    private final Counter bodySize;
    private final WarmUpTraffic warmUp;

    RequestMetricsFilter(MeterRegistry meters, WarmUpTraffic warmUp) {
        this.meters = meters;
        this.warmUp = warmUp;
        this.tokenRate = limited(meters, "token_rate");
        this.failedAuthentications = limited(meters, "failed_authentications");
        this.bodySize = limited(meters, "body_size");
    }

    private static Counter limited(MeterRegistry meters, String limit) {
        return Counter.builder("hookrelay.gateway.limited")
                .description("Requests refused by a front-door limit: token rate (429), failed"
                        + " authentications of the client address (429), body size (413)")
                .tag("limit", limit)
                .register(meters);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (warmUp.carries(exchange.getRequest())) {
            return chain.filter(exchange);
        }
        long start = System.nanoTime();
        exchange.getResponse().beforeCommit(() -> {
            record(exchange, System.nanoTime() - start);
            return Mono.empty();
        });
        return chain.filter(exchange);
    }

    private void record(ServerWebExchange exchange, long nanos) {
        HttpStatusCode statusCode = exchange.getResponse().getStatusCode();
        int status = statusCode == null ? 200 : Math.min(statusCode.value(), STATUSES - 1);
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        int routeIndex = routeIndex(route);
        timer(routeIndex, status).record(nanos, TimeUnit.NANOSECONDS);
        if (routeIndex == 0) {
            countLimit(exchange, status);
        }
    }

    private void countLimit(ServerWebExchange exchange, int status) {
        if (status == 413) {
            bodySize.increment();
        } else if (status == 429) {
            // the token bucket's refusal says how large the bucket is; the failed-authentication one cannot
            boolean tokenBucket = exchange.getResponse().getHeaders().containsHeader("RateLimit-Limit");
            (tokenBucket ? tokenRate : failedAuthentications).increment();
        }
    }

    private Timer timer(int routeIndex, int status) {
        int slot = routeIndex * STATUSES + status;
        Timer timer = timers.get(slot);
        if (timer == null) {
            timer = Timer.builder("hookrelay.gateway.requests")
                    .description("Answers of the gateway by route and HTTP status, timed to the status line")
                    .tag("route", ROUTES[routeIndex])
                    .tag("status", Integer.toString(status))
                    .serviceLevelObjectives(BUCKETS)
                    .register(meters);
            timers.set(slot, timer);
        }
        return timer;
    }

    private static int routeIndex(Route route) {
        if (route == null) {
            return 0;
        }
        return switch (route.getId()) {
            case "ingest" -> 1;
            case "delivery" -> 2;
            default -> 0;
        };
    }
}
