import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Delivery isolation benchmark for HookRelay (issue 5): do a receiver that hangs and one that fails
 * forever slow down delivery to the healthy endpoints of the same application?
 *
 * <p>Starts loopback receivers (127.0.0.1 only): N healthy ones that answer 204 at once and record
 * when each {@code webhook-id} arrived, one that sleeps 30 s before answering and one that always
 * answers 503. For each scenario it creates a fresh application through the gateway's Svix API,
 * adds the endpoints, sends messages at a steady rate and measures, for the healthy endpoints only,
 * delivery latency = arrival at the receiver - the message's {@code timestamp} returned by the
 * create call (both read from this machine's clock).
 *
 * <ul>
 *   <li>scenario A: the healthy endpoints only
 *   <li>scenario B: the same healthy endpoints plus the sleeping one and the 503 one
 * </ul>
 *
 * A short unmeasured warm-up run (healthy endpoints only, its own application) comes first so that
 * JIT and connection-pool warm-up are not charged to scenario A. Everything is bounded: sends stop
 * after {@code --messages}, waiting for deliveries stops after {@code --drain} seconds.
 *
 * <p>JDK only; run with any JDK 21+:
 *
 * <pre>
 * java deploy/bench/IsolationBenchmark.java --gateway http://127.0.0.1:8080 --token-file .hookrelay/admin-token
 *      [--messages 600] [--rate 20] [--healthy 50] [--scenarios A,B] [--warmup 200] [--drain 60]
 *      [--bad-sleep 30] [--pause 5]
 * </pre>
 *
 * Exit status: 0 when every scenario was complete and B's p50 and p99 are within 2x of A's,
 * 1 when not, 2 on a usage or set-up error.
 */
public class IsolationBenchmark {

    static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\"\\s*:\\s*\"([^\"]+)\"");

    // settings
    static String gateway = "http://127.0.0.1:8080";
    static String token;
    static int messages = 600;
    static double rate = 20;
    static int healthy = 50;
    static List<String> scenarios = List.of("A", "B");
    static int warmupMessages = 200;
    static int drainSeconds = 60;
    static int badSleepSeconds = 30;
    static int pauseSeconds = 5;
    static double limit = 2.0;

    static HttpClient client;
    static int receiverPort;
    static final String RUN_ID = Long.toString(System.currentTimeMillis() / 1000, 36);

    /** One scenario's bookkeeping. The receivers look runs up by the first path segment. */
    static final class Run {
        final String name;
        final boolean withBadEndpoints;
        final int count;
        /** message id -> first arrival (epoch micros) per healthy endpoint, 0 = not yet. */
        final Map<String, AtomicLongArray> arrivals = new ConcurrentHashMap<>();
        /** message id -> accepted timestamp (epoch micros), from the create call. */
        final Map<String, Long> accepted = new ConcurrentHashMap<>();
        final List<Double> acceptMillis = new ArrayList<>();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicInteger createFailures = new AtomicInteger();
        final AtomicInteger sleeperRequests = new AtomicInteger();
        final AtomicInteger failingRequests = new AtomicInteger();
        final String[] messageIds;
        long sendSeconds;
        long drainMillis;

        Run(String name, boolean withBadEndpoints, int count) {
            this.name = name;
            this.withBadEndpoints = withBadEndpoints;
            this.count = count;
            this.messageIds = new String[count];
        }

        String prefix() {
            return "/" + name.toLowerCase(Locale.ROOT);
        }

        void arrived(int endpoint, String messageId, long nowMicros) {
            var row = arrivals.computeIfAbsent(messageId, id -> new AtomicLongArray(healthy));
            if (!row.compareAndSet(endpoint, 0, nowMicros)) {
                duplicates.incrementAndGet();
            }
        }

        /** Pairs (healthy endpoint, accepted message) that have arrived. */
        long delivered() {
            long n = 0;
            for (String id : accepted.keySet()) {
                var row = arrivals.get(id);
                if (row != null) {
                    for (int e = 0; e < healthy; e++) {
                        if (row.get(e) != 0) {
                            n++;
                        }
                    }
                }
            }
            return n;
        }
    }

    static final Map<String, Run> runs = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        parse(args);
        // The JDK server closes idle keep-alive connections beyond 200 by default; the platform's
        // pooled client would then meet resets (MACHINE.md). Must be set before the server starts.
        System.setProperty("sun.net.httpserver.maxIdleConnections", "5000");
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();

        ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2048);
        server.setExecutor(handlers);
        receiverPort = server.getAddress().getPort();

        List<Run> plan = new ArrayList<>();
        if (warmupMessages > 0) {
            plan.add(new Run("warmup", false, warmupMessages));
        }
        for (String s : scenarios) {
            plan.add(new Run(s, s.equalsIgnoreCase("B"), messages));
        }
        for (Run run : plan) {
            if (runs.putIfAbsent(run.name, run) != null) {
                fail("each scenario may run once: " + run.name);
            }
            for (int e = 0; e < healthy; e++) {
                int endpoint = e;
                server.createContext(run.prefix() + "/healthy/" + e, exchange -> healthy(run, endpoint, exchange));
            }
            server.createContext(run.prefix() + "/sleeper", exchange -> sleeper(run, exchange));
            server.createContext(run.prefix() + "/failing", exchange -> failing(run, exchange));
        }
        server.start();

        System.out.printf("Isolation benchmark: gateway %s, receivers on 127.0.0.1:%d, %d healthy endpoints, "
                        + "%d messages at %.1f/s per scenario, scenarios %s, warm-up %d messages; Java %s, %d CPUs%n",
                gateway, receiverPort, healthy, messages, rate, scenarios, warmupMessages,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());

        for (int i = 0; i < plan.size(); i++) {
            if (i > 0) {
                Thread.sleep(pauseSeconds * 1000L);
            }
            execute(plan.get(i));
        }

        Run a = runs.get("A");
        Run b = runs.get("B");
        boolean complete = true;
        System.out.println();
        System.out.println("== healthy endpoints: delivery latency (ms) = arrival at the receiver - message timestamp");
        System.out.printf("%-9s %9s %9s %9s %9s %9s %9s %9s %10s %10s%n",
                "scenario", "pairs", "delivered", "p50", "p90", "p99", "max", "dupes", "accept p50", "accept p99");
        Map<String, double[]> summaries = new ConcurrentHashMap<>();
        for (Run run : plan) {
            if (run.name.equals("warmup")) {
                continue;
            }
            double[] latencies = latencies(run);
            long pairs = (long) run.accepted.size() * healthy;
            boolean all = latencies.length == pairs && run.accepted.size() == run.count;
            complete &= all;
            double[] accept = run.acceptMillis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            summaries.put(run.name, latencies);
            System.out.printf("%-9s %9d %9d %9s %9s %9s %9s %9d %10s %10s%n",
                    run.name + (run.withBadEndpoints ? "+bad" : ""), pairs, latencies.length,
                    ms(pct(latencies, 50)), ms(pct(latencies, 90)), ms(pct(latencies, 99)),
                    ms(latencies.length == 0 ? Double.NaN : latencies[latencies.length - 1]),
                    run.duplicates.get(), ms(pct(accept, 50)), ms(pct(accept, 99)));
        }
        System.out.println();
        for (Run run : plan) {
            if (run.name.equals("warmup")) {
                continue;
            }
            System.out.printf("%s: %d of %d messages accepted (%d create calls failed); every healthy endpoint got every message: %s;"
                            + " sent in %d s, drained %.1f s after the last send%n",
                    run.name, run.accepted.size(), run.count, run.createFailures.get(),
                    summaries.get(run.name).length == (long) run.count * healthy ? "yes" : "NO (missing " + missing(run) + ")",
                    run.sendSeconds, run.drainMillis / 1000.0);
            if (run.withBadEndpoints) {
                System.out.printf("%s: requests seen by the sleeping receiver %d, by the 503 receiver %d (by the end of the scenario)%n",
                        run.name, run.sleeperRequests.get(), run.failingRequests.get());
            }
            timeline(run);
        }

        int status;
        if (a != null && b != null) {
            double[] la = summaries.get("A");
            double[] lb = summaries.get("B");
            double r50 = pct(lb, 50) / pct(la, 50);
            double r90 = pct(lb, 90) / pct(la, 90);
            double r99 = pct(lb, 99) / pct(la, 99);
            boolean within = r50 <= limit && r99 <= limit;
            System.out.println();
            if (la.length == 0 || lb.length == 0) {
                System.out.printf("ratio B/A: no figures (%s delivered nothing; is the platform still delivering? see its logs)%n",
                        la.length == 0 ? (lb.length == 0 ? "A and B" : "A") : "B");
            } else {
                System.out.printf("ratio B/A: p50 %.2f, p90 %.2f, p99 %.2f (target: p50 and p99 within %.1fx)%n", r50, r90, r99, limit);
            }
            boolean pass = within && complete;
            System.out.printf("%s: %s%s%n", pass ? "PASS" : "FAIL",
                    within ? "healthy latency within " + limit + "x" : "healthy latency NOT within " + limit + "x (or not measured)",
                    complete ? ", all deliveries complete" : ", deliveries INCOMPLETE");
            status = pass ? 0 : 1;
        } else {
            System.out.println(complete ? "complete" : "INCOMPLETE");
            status = complete ? 0 : 1;
        }
        server.stop(0);
        System.exit(status);
    }

    // ---------------------------------------------------------------- one scenario

    static void execute(Run run) throws Exception {
        String uid = "isolation-" + RUN_ID + "-" + run.name.toLowerCase(Locale.ROOT);
        post("/api/v1/app", "{\"name\":\"isolation benchmark " + run.name + "\",\"uid\":\"" + uid + "\"}", 201);
        String base = "http://127.0.0.1:" + receiverPort + run.prefix();
        for (int e = 0; e < healthy; e++) {
            addEndpoint(uid, base + "/healthy/" + e, "healthy-" + e);
        }
        if (run.withBadEndpoints) {
            addEndpoint(uid, base + "/sleeper", "sleeper");
            addEndpoint(uid, base + "/failing", "failing");
        }
        System.out.printf("%n== %s: application %s, %d endpoints; sending %d messages at %.1f/s ...%n",
                run.name, uid, healthy + (run.withBadEndpoints ? 2 : 0), run.count, rate);

        long periodNanos = (long) (1e9 / rate);
        long start = System.nanoTime();
        List<Thread> senders = new ArrayList<>(run.count);
        for (int i = 0; i < run.count; i++) {
            long due = start + i * periodNanos;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            int n = i;
            senders.add(Thread.ofVirtual().start(() -> send(run, uid, n)));
        }
        for (Thread t : senders) {
            t.join(Duration.ofSeconds(60));
        }
        long sent = System.nanoTime();
        run.sendSeconds = Math.round((sent - start) / 1e9);

        long expected = (long) run.accepted.size() * healthy;
        long deadline = sent + TimeUnit.SECONDS.toNanos(drainSeconds);
        long delivered;
        while ((delivered = run.delivered()) < expected && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        run.drainMillis = (System.nanoTime() - sent) / 1_000_000;
        System.out.printf("%s: %d of %d healthy deliveries arrived %.1f s after the last send%n",
                run.name, delivered, expected, run.drainMillis / 1000.0);
    }

    static void send(Run run, String app, int n) {
        String body = "{\"eventType\":\"bench.event\",\"payload\":{\"scenario\":\"" + run.name + "\",\"n\":" + n
                + ",\"text\":\"isolation benchmark message\"}}";
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(request("/api/v1/app/" + app + "/msg", body), HttpResponse.BodyHandlers.ofString());
            double took = (System.nanoTime() - t0) / 1e6;
            if (response.statusCode() != 202) {
                run.createFailures.incrementAndGet();
                System.err.printf("%s: message %d: HTTP %d %s%n", run.name, n, response.statusCode(), response.body());
                return;
            }
            Matcher id = ID.matcher(response.body());
            Matcher ts = TIMESTAMP.matcher(response.body());
            if (!id.find() || !ts.find()) {
                run.createFailures.incrementAndGet();
                System.err.printf("%s: message %d: no id/timestamp in %s%n", run.name, n, response.body());
                return;
            }
            Instant accepted = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(ts.group(1), Instant::from);
            run.messageIds[n] = id.group(1);
            run.accepted.put(id.group(1), micros(accepted));
            synchronized (run.acceptMillis) {
                run.acceptMillis.add(took);
            }
        } catch (Exception e) {
            run.createFailures.incrementAndGet();
            System.err.printf("%s: message %d: %s%n", run.name, n, e);
        }
    }

    static void addEndpoint(String app, String url, String uid) throws Exception {
        post("/api/v1/app/" + app + "/endpoint", "{\"url\":\"" + url + "\",\"uid\":\"" + uid + "\"}", 201);
    }

    static String post(String path, String body, int expected) throws Exception {
        HttpResponse<String> response = client.send(request(path, body), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected && response.statusCode() / 100 != 2) {
            fail("POST " + path + " -> HTTP " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    static HttpRequest request(String path, String body) {
        return HttpRequest.newBuilder(URI.create(gateway + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    // ---------------------------------------------------------------- receivers

    static void healthy(Run run, int endpoint, HttpExchange exchange) throws IOException {
        long now = micros(Instant.now());
        try (exchange; InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            if (id != null) {
                run.arrived(endpoint, id, now);
            }
            exchange.sendResponseHeaders(204, -1);
        }
    }

    static void sleeper(Run run, HttpExchange exchange) throws IOException {
        run.sleeperRequests.incrementAndGet();
        try (exchange; InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
            Thread.sleep(badSleepSeconds * 1000L);
            exchange.sendResponseHeaders(204, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the platform gave up waiting (15 s timeout) and closed the connection: expected
        }
    }

    static void failing(Run run, HttpExchange exchange) throws IOException {
        run.failingRequests.incrementAndGet();
        try (exchange; InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
            exchange.sendResponseHeaders(503, -1);
        }
    }

    // ---------------------------------------------------------------- figures

    static double[] latencies(Run run) {
        List<Double> out = new ArrayList<>();
        for (var entry : run.accepted.entrySet()) {
            var row = run.arrivals.get(entry.getKey());
            if (row == null) {
                continue;
            }
            for (int e = 0; e < healthy; e++) {
                long at = row.get(e);
                if (at != 0) {
                    out.add((at - entry.getValue()) / 1000.0);
                }
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    static long missing(Run run) {
        return (long) run.count * healthy - latencies(run).length;
    }

    /** Latency by the time the message was sent, in windows of 5 s: where did it go? */
    static void timeline(Run run) {
        int perWindow = Math.max(1, (int) Math.round(rate * 5));
        StringBuilder line = new StringBuilder(run.name + ": p50/p99 ms by 5 s window of sending:");
        for (int from = 0; from < run.count; from += perWindow) {
            List<Double> window = new ArrayList<>();
            for (int i = from; i < Math.min(run.count, from + perWindow); i++) {
                String id = run.messageIds[i];
                Long accepted = id == null ? null : run.accepted.get(id);
                var row = id == null ? null : run.arrivals.get(id);
                if (accepted == null || row == null) {
                    continue;
                }
                for (int e = 0; e < healthy; e++) {
                    if (row.get(e) != 0) {
                        window.add((row.get(e) - accepted) / 1000.0);
                    }
                }
            }
            double[] w = window.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            line.append(String.format(Locale.ROOT, " %s/%s", ms(pct(w, 50)), ms(pct(w, 99))));
        }
        System.out.println(line);
    }

    /** Nearest-rank percentile of sorted values. */
    static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static String ms(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }

    // ---------------------------------------------------------------- arguments

    static void parse(String[] args) throws IOException {
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("-h") || flag.equals("--help")) {
                usage(0);
            }
            if (i + 1 >= args.length) {
                System.err.println("missing value for " + flag);
                usage(2);
            }
            String value = args[++i];
            switch (flag) {
                case "--gateway" -> gateway = value.replaceAll("/+$", "");
                case "--token" -> token = value;
                case "--token-file" -> token = Files.readString(Path.of(value)).strip();
                case "--messages" -> messages = Integer.parseInt(value);
                case "--rate" -> rate = Double.parseDouble(value);
                case "--healthy" -> healthy = Integer.parseInt(value);
                case "--scenarios" -> scenarios = Arrays.stream(value.split(",")).map(String::strip)
                        .map(s -> s.toUpperCase(Locale.ROOT)).toList();
                case "--warmup" -> warmupMessages = Integer.parseInt(value);
                case "--drain" -> drainSeconds = Integer.parseInt(value);
                case "--bad-sleep" -> badSleepSeconds = Integer.parseInt(value);
                case "--pause" -> pauseSeconds = Integer.parseInt(value);
                case "--limit" -> limit = Double.parseDouble(value);
                default -> {
                    System.err.println("unknown flag " + flag);
                    usage(2);
                }
            }
        }
        if (token == null) {
            token = System.getenv("HOOKRELAY_ADMIN_TOKEN");
        }
        if (token == null || token.isBlank()) {
            System.err.println("an admin token is required: --token-file FILE, --token T or HOOKRELAY_ADMIN_TOKEN");
            usage(2);
        }
        if (!scenarios.stream().allMatch(s -> s.equals("A") || s.equals("B"))) {
            fail("scenarios are A (healthy only) and B (healthy + sleeping + 503)");
        }
        if (messages < 1 || messages > 100_000 || rate <= 0 || rate > 1_000 || healthy < 1 || healthy > 1_000
                || drainSeconds < 0 || drainSeconds > 3_600) {
            fail("out of range: --messages 1..100000, --rate (0, 1000], --healthy 1..1000, --drain 0..3600");
        }
    }

    static void usage(int status) {
        System.err.println("""
                usage: java deploy/bench/IsolationBenchmark.java [--gateway URL] (--token-file FILE | --token T)
                         [--messages 600] [--rate 20] [--healthy 50] [--scenarios A,B] [--warmup 200]
                         [--drain 60] [--bad-sleep 30] [--pause 5] [--limit 2.0]
                  A = healthy endpoints only, B = the same plus one that sleeps --bad-sleep s and one that answers 503.
                  The token may also come from HOOKRELAY_ADMIN_TOKEN.""");
        System.exit(status);
    }

    static void fail(String message) {
        System.err.println("isolation benchmark: " + message);
        System.exit(2);
    }
}
