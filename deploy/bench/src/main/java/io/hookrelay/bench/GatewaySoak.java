package io.hookrelay.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gateway ↔ service connection soak (issue 14): N clients (default 8) send mixed requests through
 * the gateway — the whole API: applications, endpoints and messages created, read, listed,
 * updated and deleted, attempts listed — until the total reaches --requests (default 100,000).
 * Endpoints point at a receiver on 127.0.0.1 that answers 204, so messages are delivered too.
 *
 * <p>Prints the counts by status, by operation and status, and every 5xx and every request that
 * got no answer at all (an I/O error), each with its request and the answer's body. Exits 1 when
 * there was any 5xx or I/O error, 0 otherwise. Loopback only.
 *
 * <pre>java -cp deploy/bench/target/hookrelay-bench.jar io.hookrelay.bench.GatewaySoak --gateway http://127.0.0.1:PORT --token-file DIR/admin-token
 *     [--requests 100000] [--clients 8]</pre>
 */
public class GatewaySoak {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    private final URI gateway;
    private final String token;
    private final long target;
    private final AtomicLong sent = new AtomicLong();
    private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byOperation = new ConcurrentHashMap<>();
    private final LongAdder ioErrors = new LongAdder();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final String receiverUrl;

    GatewaySoak(URI gateway, String token, long target, String receiverUrl) {
        this.gateway = gateway;
        this.token = token;
        this.target = target;
        this.receiverUrl = receiverUrl;
    }

    public static void main(String[] args) throws Exception {
        String gateway = null;
        String tokenFile = null;
        long requests = 100_000;
        int clients = 8;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--gateway" -> gateway = args[++i];
                case "--token-file" -> tokenFile = args[++i];
                case "--requests" -> requests = Long.parseLong(args[++i]);
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (gateway == null || tokenFile == null) {
            throw new IllegalArgumentException("--gateway URL and --token-file FILE are required");
        }
        URI uri = URI.create(gateway);
        if (!InetAddress.getByName(uri.getHost()).isLoopbackAddress()) {
            throw new IllegalArgumentException("loopback only: " + gateway);
        }
        // The JDK's server closes idle keep-alive connections beyond 200 by default (MACHINE.md).
        System.setProperty("sun.net.httpserver.maxIdleConnections", "1000");
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        String receiverUrl = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/soak";
        var soak = new GatewaySoak(uri, Files.readString(Path.of(tokenFile)).strip(), requests, receiverUrl);
        int status = soak.run(clients);
        receiver.stop(0);
        System.exit(status);
    }

    int run(int clients) throws InterruptedException {
        System.out.printf("== soak: %,d requests from %d clients through %s%n", target, clients, gateway);
        long started = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads.add(Thread.ofPlatform().name("soak-client-" + c).start(() -> clientLoop(client)));
        }
        Thread progress = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    Thread.sleep(15_000);
                    System.out.printf("   %,d requests, %d × 5xx, %d I/O errors so far%n", sent.get(),
                            fivexx(), ioErrors.sum());
                }
            } catch (InterruptedException done) {
                // the soak is over
            }
        });
        for (Thread t : threads) {
            t.join();
        }
        progress.interrupt();
        double seconds = (System.nanoTime() - started) / 1e9;
        report(seconds);
        return fivexx() == 0 && ioErrors.sum() == 0 ? 0 : 1;
    }

    private long fivexx() {
        return byStatus.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(e -> e.getValue().sum()).sum();
    }

    private void report(double seconds) {
        long total = byStatus.values().stream().mapToLong(LongAdder::sum).sum() + ioErrors.sum();
        System.out.printf("%n== %,d requests in %.0f s (%.0f/s)%n", total, seconds, total / seconds);
        System.out.println("== by status:");
        new TreeMap<>(byStatus).forEach((status, n) -> System.out.printf("   %d  %,d%n", status, n.sum()));
        System.out.printf("   no answer (I/O error)  %,d%n", ioErrors.sum());
        System.out.println("== by operation:");
        new TreeMap<>(byOperation).forEach((op, n) -> System.out.printf("   %-40s %,d%n", op, n.sum()));
        System.out.printf("== 5xx: %d; I/O errors: %d%n", fivexx(), ioErrors.sum());
        failures.forEach(f -> System.out.println("   " + f));
    }

    /**
     * One client's cycle, repeated until the total is reached: an application with an endpoint,
     * ten messages, reads and listings of each, updates, and the deletes.
     */
    private void clientLoop(int client) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        int cycle = 0;
        while (sent.get() < target) {
            cycle++;
            String name = "soak-" + client + "-" + cycle;
            String app = id(call(http, "app.create", "POST", "/api/v1/app", "{\"name\":\"" + name + "\"}"));
            if (app == null) {
                continue;
            }
            call(http, "app.get", "GET", "/api/v1/app/" + app, null);
            String endpoint = id(call(http, "endpoint.create", "POST", "/api/v1/app/" + app + "/endpoint",
                    "{\"url\":\"" + receiverUrl + "/" + client + "\",\"description\":\"soak\"}"));
            String message = null;
            for (int m = 0; m < 10; m++) {
                String created = id(call(http, "msg.create", "POST", "/api/v1/app/" + app + "/msg",
                        "{\"eventType\":\"soak.event\",\"payload\":{\"client\":" + client + ",\"cycle\":" + cycle
                                + ",\"n\":" + m + "}}"));
                message = created == null ? message : created;
            }
            call(http, "msg.list", "GET", "/api/v1/app/" + app + "/msg?limit=20", null);
            if (message != null) {
                call(http, "msg.get", "GET", "/api/v1/app/" + app + "/msg/" + message, null);
                call(http, "attempt.list-by-msg", "GET", "/api/v1/app/" + app + "/attempt/msg/" + message, null);
            }
            call(http, "endpoint.list", "GET", "/api/v1/app/" + app + "/endpoint", null);
            if (endpoint != null) {
                call(http, "endpoint.get", "GET", "/api/v1/app/" + app + "/endpoint/" + endpoint, null);
                call(http, "endpoint.update", "PUT", "/api/v1/app/" + app + "/endpoint/" + endpoint,
                        "{\"url\":\"" + receiverUrl + "/" + client + "\",\"description\":\"soak, updated\"}");
                call(http, "attempt.list-by-endpoint", "GET",
                        "/api/v1/app/" + app + "/attempt/endpoint/" + endpoint, null);
                call(http, "endpoint.delete", "DELETE", "/api/v1/app/" + app + "/endpoint/" + endpoint, null);
            }
            call(http, "app.patch", "PATCH", "/api/v1/app/" + app, "{\"name\":\"" + name + " patched\"}");
            call(http, "app.list", "GET", "/api/v1/app?limit=10", null);
            call(http, "app.delete", "DELETE", "/api/v1/app/" + app, null);
        }
    }

    /** Sends one request; the body of a 2xx answer, or null. */
    private String call(HttpClient http, String operation, String method, String path, String body) {
        sent.incrementAndGet();
        var request = HttpRequest.newBuilder(gateway.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            byStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
            byOperation.computeIfAbsent(operation + " " + status, s -> new LongAdder()).increment();
            if (status >= 500) {
                failures.add(Instant.now() + " " + method + " " + path + " " + (body == null ? "" : body) + " -> " + status
                        + " " + response.headers().firstValue("x-request-id").orElse("") + " " + response.body());
            }
            return status / 100 == 2 ? response.body() : null;
        } catch (IOException e) {
            ioErrors.increment();
            byOperation.computeIfAbsent(operation + " I/O error", s -> new LongAdder()).increment();
            failures.add(Instant.now() + " " + method + " " + path + " -> no answer: " + e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String id(String body) {
        if (body == null) {
            return null;
        }
        Matcher m = ID.matcher(body);
        return m.find() ? m.group(1) : null;
    }
}
