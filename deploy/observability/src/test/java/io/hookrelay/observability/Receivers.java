package io.hookrelay.observability;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Webhook receivers on loopback that answer by path: {@code /ok} 200, {@code /fail} 500
 * (retryable), {@code /bad} 400 (failed: a dead letter at once), {@code /gone} 410 (the endpoint
 * is disabled). Counts what reached {@code /ok}.
 */
final class Receivers implements AutoCloseable {

    private final HttpServer server;
    private final java.util.concurrent.ExecutorService threads = Executors.newFixedThreadPool(4);
    private final AtomicInteger delivered = new AtomicInteger();

    Receivers() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            int status = switch (exchange.getRequestURI().getPath()) {
                case "/ok" -> 200;
                case "/bad" -> 400;
                case "/gone" -> 410;
                default -> 500;
            };
            if (status == 200) {
                delivered.incrementAndGet();
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    int delivered() {
        return delivered.get();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
