package io.hookrelay.gateway;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A real HTTP server standing in for a service behind the gateway: it reports which service it
 * is, the path and the internal token it received, and answers its health as configured.
 */
final class StubService implements AutoCloseable {

    private final HttpServer server;
    volatile String health = "UP";

    StubService(String name) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body = path.equals("/actuator/health")
                    ? "{\"status\":\"" + health + "\"}"
                    : "{\"service\":\"" + name + "\",\"path\":\"" + path + "\",\"internalToken\":\""
                            + exchange.getRequestHeaders().getFirst("X-HookRelay-Internal-Token") + "\",\"forged\":\""
                            + exchange.getRequestHeaders().getFirst("X-HookRelay-Principal") + "\"}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(health.equals("UP") || !path.equals("/actuator/health") ? 200 : 503, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
