package io.hookrelay.gateway.warmup;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * Runs the gateway's hot path before its port opens. A gateway that has just started interprets
 * its code until the JIT has compiled it; on its one event loop, the first seconds of traffic then
 * queue unread for several seconds (after a restart under 100 msg/s, clients waited up to 8.8 s
 * while each request took at most 1.2 s once read: docs/reliability.md). Here that cost is paid
 * before any client can connect: while it lasts, a client's connection is refused at once, as it
 * was while the process started, instead of hanging.
 *
 * <p>The warm-up sends message creations through the gateway's whole chain (Netty, every filter,
 * authentication, the route, the connection pool to ingest-service) on a
 * loopback port of its own. Each one is refused by ingest-service's validation (422: an empty
 * {@code eventType}), for an application whose name is longer than any id or uid can be: nothing is
 * stored. It stops at the first other answer (ingest-service not up yet), after
 * {@link WarmUpProperties#timeout()}, or when done. Its first request goes alone, so that a
 * service that is down costs the gateway's circuit breaker one failure, not one per request in
 * flight; the rate limiter takes nothing for it. It authenticates with a credential of its own,
 * good only on its port while it runs ({@link WarmUpTraffic}): no admin token is needed.
 */
@Component
class GatewayWarmUp implements SmartLifecycle {

    /**
     * Before the web server opens its port (its start-stop lifecycle runs at
     * {@code SMART_LIFECYCLE_PHASE - 1024}), after everything the requests need.
     */
    static final int PHASE = WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 2048;
    /** Longer than an application's id or uid (at most 256 characters) can be: no application is ever it. */
    static final String PATH = "/api/v1/app/hookrelay-gateway-warm-up-" + "x".repeat(240) + "/msg";
    /** What ingest-service answers a message without an event type. */
    static final int EXPECTED_STATUS = 422;

    private static final Logger log = LoggerFactory.getLogger(GatewayWarmUp.class);
    /** About the size of a typical message (512 bytes), so the same buffers and codecs warm up. */
    private static final byte[] BODY = ("{\"eventType\":\"\",\"payload\":{\"warmUp\":\"" + "w".repeat(440) + "\"}}")
            .getBytes(StandardCharsets.UTF_8);

    private final HttpHandler handler;
    private final WarmUpProperties properties;
    private final WarmUpTraffic traffic;
    private volatile boolean running;

    GatewayWarmUp(HttpHandler handler, WarmUpProperties properties, WarmUpTraffic traffic) {
        this.handler = handler;
        this.properties = properties;
        this.traffic = traffic;
    }

    @Override
    public void start() {
        running = true;
        if (properties.requests() == 0) {
            return;
        }
        try {
            warmUp();
        } catch (RuntimeException e) {
            // a warm-up that fails only leaves the gateway as cold as it would be without one
            log.warn("The warm-up failed; opening the port without it", e);
        }
    }

    private void warmUp() {
        long start = System.nanoTime();
        DisposableServer server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle(new ReactorHttpHandlerAdapter(handler))
                .bindNow();
        ConnectionProvider connections = ConnectionProvider.builder("warm-up")
                .maxConnections(properties.concurrency())
                .build();
        AtomicInteger unexpected = new AtomicInteger();
        long answered;
        try {
            traffic.servedOn(server.port());
            HttpClient client = HttpClient.create(connections)
                    .baseUrl("http://127.0.0.1:" + server.port())
                    .headers(headers -> headers
                            .set(HttpHeaderNames.AUTHORIZATION, "Bearer " + traffic.credential())
                            .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                            .set(HttpHeaderNames.CONTENT_LENGTH, BODY.length));
            // one request alone first: were ingest-service down, a single failure is all the
            // circuit breaker would record (it opens on a rate among at least 10 calls)
            Long count = post(client)
                    .flatMapMany(first -> first != EXPECTED_STATUS ? Flux.just(first) : Flux.concat(Flux.just(first),
                            Flux.range(1, properties.requests() - 1).flatMap(i -> post(client), properties.concurrency())))
                    .takeWhile(status -> {
                        if (status != EXPECTED_STATUS) {
                            unexpected.compareAndSet(0, status);
                        }
                        return status == EXPECTED_STATUS;
                    })
                    .take(properties.timeout())
                    .count()
                    .block(properties.timeout().plusSeconds(5));
            answered = count == null ? 0 : count;
        } finally {
            traffic.ended();
            try {
                server.disposeNow();
            } finally {
                connections.dispose();
            }
        }
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        if (unexpected.get() != 0) {
            log.info("Warm-up stopped after {} of {} requests in {} ms: ingest-service answered {} (expected {})",
                    answered, properties.requests(), millis, unexpected.get(), EXPECTED_STATUS);
        } else {
            log.info("Warm-up: {} of {} requests through the gateway's path in {} ms", answered, properties.requests(),
                    millis);
        }
    }

    /** One message creation; its status, or 0 when there was no answer. */
    private static Mono<Integer> post(HttpClient client) {
        return client.post()
                .uri(PATH)
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(BODY)))
                .responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
                .onErrorReturn(0);
    }

    static byte[] body() {
        return BODY.clone();
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
