package io.hookrelay.delivery;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP receiver on loopback whose answer depends on the path: {@code /ok}, {@code /fail}
 * (500), {@code /gone} (410), {@code /redirect} (302), {@code /bad} (400), {@code /large} (10 KiB
 * body), {@code /flaky/N} (503 for the first N requests of each webhook id, then 200),
 * {@code /throttled} (429 with {@code Retry-After: 1} once per webhook id, then 200), {@code /later}
 * (503 with {@code Retry-After: 3600}: a retry an hour away), {@code /slow} (200 after 2 s). Records what it got, with the time it arrived.
 */
final class TestReceiver implements AutoCloseable {

    record Received(String path, Map<String, List<String>> headers, String body, java.time.Instant at) {}

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> statusByPath = new ConcurrentHashMap<>(Map.of(
            "/fail", 500, "/gone", 410, "/redirect", 302, "/bad", 400));
    private final Map<String, Integer> seen = new ConcurrentHashMap<>();

    TestReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(path, Map.copyOf(exchange.getRequestHeaders()), body, java.time.Instant.now()));
        if (path.equals("/slow")) {
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String webhookId = exchange.getRequestHeaders().getFirst("webhook-id");
        int count = seen.merge(path + " " + webhookId, 1, Integer::sum);
        int status = statusByPath.getOrDefault(path, 200);
        if (path.startsWith("/flaky/")) {
            status = count <= Integer.parseInt(path.substring("/flaky/".length())) ? 503 : 200;
        }
        if (path.equals("/throttled") && count == 1) {
            status = 429;
            exchange.getResponseHeaders().set("Retry-After", "1");
        }
        if (path.equals("/later")) {
            status = 503;
            exchange.getResponseHeaders().set("Retry-After", "3600");
        }
        byte[] answer = (path.equals("/large") ? "y".repeat(10 * 1024) : "thanks from " + path)
                .getBytes(StandardCharsets.UTF_8);
        if (status == 302) {
            exchange.getResponseHeaders().set("Location", url("/ok"));
        }
        exchange.sendResponseHeaders(status, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
