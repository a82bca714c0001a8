package io.hookrelay.gateway;

import com.sun.net.httpserver.HttpExchange;
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
            if (path.equals("/v3/api-docs")) {
                document(exchange, name);
                return;
            }
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

    /** A one-operation part of the API document, only for the gateway's internal credential. */
    private static void document(HttpExchange exchange, String name) throws IOException {
        boolean internal = GatewayIT.INTERNAL_TOKEN.equals(exchange.getRequestHeaders().getFirst("X-HookRelay-Internal-Token"));
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

    String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
