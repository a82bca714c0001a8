package io.hookrelay.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server standing in for a service behind the gateway. By default it reports which
 * service it is, the path, the headers the gateway set and the size of the body it received;
 * tests can script an answer per path, make it fail with a status, or slow it down.
 */
final class StubService implements AutoCloseable {

    record Answer(int status, String body) {}

    private final String name;
    private final HttpServer server;
    private final Map<String, Answer> scripted = new ConcurrentHashMap<>();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger healthChecks = new AtomicInteger();
    volatile String health = "UP";
    volatile Duration healthDelay = Duration.ZERO;
    volatile int failWith = 0;
    volatile Duration delay = Duration.ZERO;
    /** The headers of the last request to the API (not health, not the document), as received. */
    volatile Map<String, List<String>> lastHeaders = Map.of();
    /** Added to every API answer. */
    volatile Map<String, String> extraResponseHeaders = Map.of();

    StubService(String name) {
        this.name = name;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    void answer(String method, String path, int status, String body) {
        scripted.put(method + " " + path, new Answer(status, body));
    }

    void reset() {
        scripted.clear();
        requests.set(0);
        healthChecks.set(0);
        health = "UP";
        healthDelay = Duration.ZERO;
        failWith = 0;
        delay = Duration.ZERO;
        lastHeaders = Map.of();
        extraResponseHeaders = Map.of();
    }

    String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        if (path.equals("/v3/api-docs")) {
            document(exchange, name);
            return;
        }
        byte[] received = exchange.getRequestBody().readAllBytes();
        Answer answer;
        if (path.equals("/actuator/health")) {
            healthChecks.incrementAndGet();
            sleep(healthDelay);
            answer = new Answer(health.equals("UP") ? 200 : 503, "{\"status\":\"" + health + "\"}");
        } else {
            requests.incrementAndGet();
            sleep(delay);
            var headers = exchange.getRequestHeaders();
            lastHeaders = Map.copyOf(headers);
            extraResponseHeaders.forEach(exchange.getResponseHeaders()::add);
            answer = failWith != 0
                    ? new Answer(failWith, "{\"code\":\"down\",\"detail\":\"stub failing\"}")
                    : scripted.getOrDefault(exchange.getRequestMethod() + " " + path, new Answer(200,
                            "{\"service\":\"" + name + "\",\"path\":\"" + path
                                    + "\",\"internalToken\":\"" + headers.getFirst("X-HookRelay-Internal-Token")
                                    + "\",\"forged\":\"" + headers.getFirst("X-HookRelay-Principal")
                                    + "\",\"tokenId\":\"" + headers.getFirst("X-HookRelay-Token-Id")
                                    + "\",\"scope\":\"" + headers.getFirst("X-HookRelay-Scope")
                                    + "\",\"requestId\":\"" + headers.getFirst("X-Request-Id")
                                    + "\",\"traceparent\":\"" + headers.getFirst("traceparent")
                                    + "\",\"bodyBytes\":" + received.length + "}"));
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** A one-operation part of the API document, only for the gateway's internal credential with a scope. */
    private static void document(HttpExchange exchange, String name) throws IOException {
        boolean internal = GatewayTestSupport.INTERNAL_TOKEN.equals(exchange.getRequestHeaders().getFirst("X-HookRelay-Internal-Token"))
                && "org".equals(exchange.getRequestHeaders().getFirst("X-HookRelay-Scope"));
        String body = "{\"openapi\":\"3.0.1\",\"paths\":{\"/api/v1/" + name + "\":{\"get\":{\"operationId\":\"v1."
                + name + ".get\"}}},\"components\":{\"schemas\":{\"" + name + "Out\":{\"type\":\"object\"}}}}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(internal ? 200 : 401, internal ? bytes.length : -1);
        if (internal) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
