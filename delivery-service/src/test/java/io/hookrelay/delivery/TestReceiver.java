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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP receiver on loopback whose answer depends on the path: {@code /ok}, {@code /fail}
 * (500), {@code /gone} (410), {@code /redirect} (302), {@code /bad} (400), {@code /large} (10 KiB
 * body), {@code /nul} (200 with a body of NUL bytes and bytes that are no UTF-8), {@code /flaky/N} (503 for the first N requests of each webhook id, then 200),
 * {@code /throttled} (429 with {@code Retry-After: 1} once per webhook id, then 200), {@code /later}
 * (503 with {@code Retry-After: 3600}: a retry an hour away), {@code /slow} (200 after 2 s),
 * {@code /stall} (200 once {@link #releaseStalled} is called, at the latest after 20 s). Records
 * what it got, with the time it arrived, and the most requests it held at once on each path.
 */
final class TestReceiver implements AutoCloseable {

    record Received(String path, Map<String, List<String>> headers, String body, java.time.Instant at) {}

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> statusByPath = new ConcurrentHashMap<>(Map.of(
            "/fail", 500, "/gone", 410, "/redirect", 302, "/bad", 400));
    private final Map<String, Integer> seen = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> mostOpen = new ConcurrentHashMap<>();
    private volatile CountDownLatch stall = new CountDownLatch(1);

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

    /** Lets every request held on {@code /stall} be answered, and those still to come too. */
    void releaseStalled() {
        stall.countDown();
    }

    /** From now on {@code /stall} holds requests again. */
    void stallAgain() {
        stall = new CountDownLatch(1);
    }

    /** The most requests to {@code path} that were waiting for their answer at the same time. */
    int mostOpen(String path) {
        return mostOpen.getOrDefault(path, new AtomicInteger()).get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        int now = open.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        mostOpen.computeIfAbsent(path, p -> new AtomicInteger()).accumulateAndGet(now, Math::max);
        try {
            answer(exchange, path);
        } finally {
            open.get(path).decrementAndGet();
        }
    }

    private void answer(HttpExchange exchange, String path) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(path, Map.copyOf(exchange.getRequestHeaders()), body, java.time.Instant.now()));
        if (path.equals("/slow")) {
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (path.equals("/stall")) {
            try {
                stall.await(20, TimeUnit.SECONDS);
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
        byte[] answer = path.equals("/nul")
                ? new byte[] {'o', 'k', 0, 0, (byte) 0xC3, 0, (byte) 0xFF, '!'}
                : (path.equals("/large") ? "y".repeat(10 * 1024) : "thanks from " + path).getBytes(StandardCharsets.UTF_8);
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
