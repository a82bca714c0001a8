package io.hookrelay.local;

import com.sun.net.httpserver.HttpServer;
import io.hookrelay.infra.Directories;
import io.hookrelay.infra.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trains the services' AOT caches under traffic (ADR 0037): a whole local platform on a data
 * directory of its own, each service recording ({@code -XX:AOTCacheOutput}), then {@code traffic}
 * of message creations through the gateway from {@link #CLIENTS} clients to a receiver on loopback
 * that answers 204 (and 503 to one first delivery in 50, so retries run too), with reads of the
 * message and attempt lists between them. When the platform stops, each JVM writes its cache: the
 * classes a start loads, as the start-only training makes, and the method profiles of the hot
 * paths (JEP 515), with which the JIT compiles them at once in the next starts instead of after
 * minutes of traffic on two cores. Installed beside the jars ({@link ServiceJars#TRAFFIC_CACHE})
 * only if all three were written.
 */
final class TrafficTraining {

    static final List<String> SERVICES = List.of("api-gateway", "ingest-service", "delivery-service");
    /** Requests in flight: enough to keep the two cores busy, so the hot paths get compiled. */
    static final int CLIENTS = 32;
    /**
     * Long enough for the JIT to compile the hot paths with C2 during the training itself: the
     * training platform starts cold, and spends its first minute compiling on two cores.
     */
    static final Duration DEFAULT_TRAFFIC = Duration.ofSeconds(120);
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    /** What the JVM that assembles a cache prints (to the service's log) once the file is whole. */
    static final String WRITTEN = "AOTCache creation is complete: ";

    private final Path home;
    private final PrintStream out;

    TrafficTraining(Path home, PrintStream out) {
        this.home = home;
        this.out = out;
    }

    /** True when every service's jar as built now has a cache trained under traffic. */
    boolean done() throws IOException {
        try (var jars = new ServiceJars(home, out)) {
            for (String service : SERVICES) {
                jars.prepare(service);
                if (!jars.trainedUnderTraffic(service)) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Trains the three caches now and installs them; false (and said why) if any is not certainly
     * whole and made for the jars as they are now. Ctrl-C (or SIGTERM) during the training kills
     * the recording JVMs before they can write a cache and removes the training's directory.
     */
    boolean train(Duration traffic) throws IOException, InterruptedException {
        Path root = home.resolve("deploy/local/target/aot-training");
        Files.createDirectories(root);
        Path data = Files.createTempDirectory(root, "platform-");
        Path caches = Files.createDirectories(data.resolve("caches"));
        long started = System.nanoTime();
        // every service at the same priority: the training records each one's hot paths, not who waits
        var settings = new LocalSettings(home, data, Ports.freePort(), "hr_training_" + random(), false, 0);
        var platform = new LocalPlatform(settings, out, List.of(), Optional.of(caches));
        Thread interrupted = new Thread(() -> {
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
            platform.close();
            try {
                Directories.deleteRecursively(data);
            } catch (IOException e) {
                System.err.println("aot-training: could not remove " + data + ": " + e.getMessage());
            }
        }, "aot-training-interrupted");
        Runtime.getRuntime().addShutdownHook(interrupted);
        try {
            Map<String, Path> directories = directories();
            try (var receiver = new TrainingReceiver(); platform) {
                platform.start();
                Counts counts = drive(URI.create("http://127.0.0.1:" + settings.gatewayPort()), settings.adminToken(),
                        receiver, traffic, CLIENTS);
                out.printf("aot-training: %d messages accepted, %d delivered, %d reads, %d unexpected answers in %d s;"
                        + " stopping (each service writes its cache as it exits)%n", counts.accepted(),
                        receiver.delivered(), counts.reads(), counts.unexpected(), traffic.toSeconds());
                for (String service : SERVICES) {
                    if (platform.restarts(service) > 0) {
                        out.println("aot-training: " + service + " was restarted during the training; no caches installed");
                        return false;
                    }
                }
            }
            return install(caches, data.resolve("logs"), directories, started);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(interrupted);
                Directories.deleteRecursively(data);
            } catch (IllegalStateException shuttingDown) {
                // the hook removes it
            }
        }
    }

    /** Where each service's jar was extracted to, which names its key: the training must end with the same. */
    private Map<String, Path> directories() throws IOException {
        Map<String, Path> directories = new LinkedHashMap<>();
        try (var jars = new ServiceJars(home, out)) {
            for (String service : SERVICES) {
                Path jar = jars.prepare(service).jar();
                if (!jar.getParent().equals(jars.directory(service))) {
                    throw new IOException(service + " could not be extracted (" + jar + "): a cache would fit no start");
                }
                directories.put(service, jar.getParent());
            }
        }
        return directories;
    }

    /**
     * Installs the three caches, or none: each must have been written whole (the JVM that assembles
     * it says so in the service's log as it finishes) for the jars the training started, and those
     * jars must be the ones built now (a build during the training makes another key).
     */
    private boolean install(Path caches, Path logs, Map<String, Path> trainedFor, long started) throws IOException {
        List<String> missing = new ArrayList<>();
        for (String service : SERVICES) {
            Path cache = caches.resolve(service + ".aot");
            Path log = logs.resolve(service + ".log");
            if (!Files.isRegularFile(cache) || !Files.isRegularFile(log)
                    || !Files.readString(log, StandardCharsets.ISO_8859_1).contains(WRITTEN + cache + " ")) {
                missing.add(service);
            }
        }
        if (!missing.isEmpty()) {
            out.println("aot-training: no whole cache written by " + missing + "; the services keep the caches they had");
            return false;
        }
        if (!directories().equals(trainedFor)) {
            out.println("aot-training: the service jars were rebuilt during the training; no caches installed");
            return false;
        }
        try (var jars = new ServiceJars(home, out)) {
            for (String service : SERVICES) {
                jars.installTrafficCache(service, caches.resolve(service + ".aot"));
            }
        }
        out.printf("aot-training: caches trained under traffic installed for %s in %.0f s%n", SERVICES,
                (System.nanoTime() - started) / 1e9);
        return true;
    }

    record Counts(long accepted, long reads, long unexpected) {}

    /**
     * An application with one endpoint (the receiver), then {@code clientCount} clients (a training
     * has {@link #CLIENTS}) each creating
     * messages one after another until {@code traffic} has passed; every 10th request of a client
     * reads the application's messages or the endpoint's attempts instead. Then waits up to 30 s
     * for the deliveries still owed, retries included.
     */
    static Counts drive(URI gateway, String token, TrainingReceiver receiver, Duration traffic, int clientCount)
            throws InterruptedException {
        try (var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build()) {
            return drive(new Api(http, gateway, token), receiver, traffic, clientCount);
        }
    }

    private static Counts drive(Api api, TrainingReceiver receiver, Duration traffic, int clientCount) throws InterruptedException {
        String app = api.create("/api/v1/app", "{\"name\":\"AOT training\"}");
        String endpoint = api.create("/api/v1/app/" + app + "/endpoint",
                "{\"url\":\"" + receiver.url() + "\",\"description\":\"AOT training\"}");
        var accepted = new AtomicLong();
        var reads = new AtomicLong();
        var unexpected = new AtomicLong();
        long deadline = System.nanoTime() + traffic.toNanos();
        List<Future<?>> running = new ArrayList<>();
        try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int client = 0; client < clientCount; client++) {
                int id = client;
                running.add(clients.submit(() -> {
                    for (long n = 0; System.nanoTime() < deadline; n++) {
                        int status = n % 10 == 9
                                ? api.read(n % 20 == 9
                                        ? "/api/v1/app/" + app + "/msg?limit=20"
                                        : "/api/v1/app/" + app + "/attempt/endpoint/" + endpoint + "?limit=20")
                                : api.send("/api/v1/app/" + app + "/msg", "{\"eventType\":\"training.event\","
                                        + "\"payload\":{\"client\":" + id + ",\"n\":" + n + ",\"text\":\"" + "x".repeat(400) + "\"}}",
                                        "training-" + id + "-" + n);
                        (status == 202 ? accepted : status == 200 ? reads : unexpected).incrementAndGet();
                    }
                }));
            }
        }
        for (Future<?> client : running) {
            try {
                client.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("a training client failed: " + e.getCause(), e.getCause());
            }
        }
        long drainUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (receiver.delivered() < accepted.get() && System.nanoTime() < drainUntil) {
            Thread.sleep(250);
        }
        return new Counts(accepted.get(), reads.get(), unexpected.get());
    }

    /** The gateway's API as the training uses it; an answer that never came counts as status 0. */
    record Api(HttpClient http, URI gateway, String token) {

        String create(String path, String body) {
            try {
                HttpResponse<String> response = http.send(post(path, body, null), HttpResponse.BodyHandlers.ofString());
                Matcher id = ID.matcher(response.body());
                if (response.statusCode() != 201 || !id.find()) {
                    throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": "
                            + response.body());
                }
                return id.group(1);
            } catch (IOException e) {
                throw new IllegalStateException("POST " + path + " failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        int send(String path, String body, String idempotencyKey) {
            return status(post(path, body, idempotencyKey));
        }

        int read(String path) {
            return status(request(path).GET().build());
        }

        private int status(HttpRequest request) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                return 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }

        private HttpRequest post(String path, String body, String idempotencyKey) {
            var builder = request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (idempotencyKey != null) {
                builder.header("idempotency-key", idempotencyKey);
            }
            return builder.build();
        }

        private HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(gateway.resolve(path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token);
        }
    }

    /**
     * The webhook receiver, on 127.0.0.1 only: 204 to every delivery except the first of one message
     * in 50 (the 1st, the 51st… to arrive), which gets 503: the attempt is retried 5 s later, so the
     * retry path is trained too.
     */
    static final class TrainingReceiver implements AutoCloseable {

        private final HttpServer server;
        private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
        private final Set<String> seen = ConcurrentHashMap.newKeySet();
        private final Set<String> delivered = ConcurrentHashMap.newKeySet();
        private final AtomicLong firstArrivals = new AtomicLong();
        private final AtomicLong failedFirst = new AtomicLong();

        TrainingReceiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
            server.setExecutor(handlers);
            server.createContext("/hook", exchange -> {
                try (InputStream body = exchange.getRequestBody()) {
                    body.transferTo(java.io.OutputStream.nullOutputStream());
                }
                String id = String.valueOf(exchange.getRequestHeaders().getFirst("webhook-id"));
                boolean fail = seen.add(id) && firstArrivals.incrementAndGet() % 50 == 1;
                if (fail) {
                    failedFirst.incrementAndGet();
                } else {
                    delivered.add(id);
                }
                exchange.sendResponseHeaders(fail ? 503 : 204, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        /** Messages delivered with a 2xx. */
        long delivered() {
            return delivered.size();
        }

        /** First deliveries answered 503 on purpose. */
        long failedFirst() {
            return failedFirst.get();
        }

        @Override
        public void close() {
            server.stop(0);
            handlers.close();
        }
    }

    private static String random() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
