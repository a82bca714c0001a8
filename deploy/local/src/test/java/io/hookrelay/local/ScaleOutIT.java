package io.hookrelay.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.hookrelay.infra.ChildProcess;
import io.hookrelay.infra.KafkaBroker;
import io.hookrelay.infra.Ports;
import io.hookrelay.infra.PostgresServer;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Two ingest-service and two delivery-service instances (their own processes) on one PostgreSQL
 * and one Kafka share the work, and the survivors take over when one of each is killed (issue 14).
 *
 * <p>After a warm-up at a lower rate (the JVMs start JIT-cold), a paced load ({@code rate}
 * messages/s for {@code seconds}, each with its own {@code idempotency-key} as the SDKs send) goes
 * to both ingest instances in turn, as a Kubernetes Service would spread it; a request that fails
 * (no connection, a time-out, a 503) is sent again with the same key, the other instance first,
 * as a client behind a load balancer retries. A third of the way through, one
 * ingest instance is killed with SIGKILL (its unpublished outbox rows are the other's to relay);
 * two thirds of the way, one delivery instance (its Kafka partitions go to the other after the
 * session time-out, its claimed deliveries once its PostgreSQL session is gone, ADR 0032). Neither
 * is restarted.
 *
 * <p>Asserts: every message accepted exactly once (one id per idempotency key, whichever instance answered),
 * every accepted message delivered to every endpoint, duplicates within what the dead delivery
 * instance could have had in flight, and both delivery instances delivering a share before the
 * kill. Prints the figures for docs/reliability.md: the share per instance, the fail-overs, the
 * duplicates, and how long the messages around each kill waited. A measurement (about four
 * minutes: four service starts, the load, the lease), so it runs on demand:
 * {@code -Dhookrelay.scale-out=true}.
 */
@EnabledIfSystemProperty(named = "hookrelay.scale-out", matches = "true")
class ScaleOutIT {

    static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();
    static final String INTERNAL_TOKEN = "scale-out-it";
    static final int RATE = Integer.getInteger("hookrelay.scale-out.rate", 30);
    static final int SECONDS = Integer.getInteger("hookrelay.scale-out.seconds", 60);
    static final int WARM_UP_RATE = Integer.getInteger("hookrelay.scale-out.warm-up-rate", 15);
    static final int WARM_UP_SECONDS = Integer.getInteger("hookrelay.scale-out.warm-up-seconds", 40);
    static final int ENDPOINTS = 2;
    /** How long the receiver takes per request: longer means more attempts in flight when delivery is killed. */
    static final int RECEIVER_MILLIS = Integer.getInteger("hookrelay.scale-out.receiver-millis", 0);
    /** How often a client sends a message again (same idempotency key, the other instance first) before giving up. */
    static final int TRIES = 8;
    /** delivery-service's shipped max-in-flight: what one process can have between claim and outcome. */
    static final int MAX_IN_FLIGHT = 1000;

    final Path data = Path.of("target", "scale-out-it", Long.toString(System.currentTimeMillis())).toAbsolutePath();
    final InternalApi api = new InternalApi(INTERNAL_TOKEN);
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** One message as the load saw it; {@code scheduledNanos} is when it was due to be sent (latency counts from there). */
    record Sent(int n, String msgId, String answeredBy, int tries, String firstFailure, boolean replayed, long scheduledNanos) {}

    @Test
    void twoInstancesOfEachServiceShareTheWorkAndTheSurvivorsTakeOverAKilledOne() throws Exception {
        Map<String, Long> firstArrival = new ConcurrentHashMap<>(); // endpoint path + webhook-id -> nanoTime
        var receipts = new AtomicLong();
        var warmArrivals = new AtomicLong();
        var lastReceipt = new AtomicLong();
        HttpServer receiver = receiver(firstArrival, receipts, lastReceipt, warmArrivals);
        try (var postgres = PostgresServer.start(data.resolve("postgres"), 0);
                var kafka = KafkaBroker.start(data.resolve("kafka"), 0)) {
            postgres.createDatabase("hookrelay");
            List<String> common = api.serviceArguments(postgres, kafka, data);
            List<String> deliveryArgs = List.of("--hookrelay.delivery.destinations.allow-loopback=true");
            // each instance its own data directory: logs and GC logs are named after the service
            var a = new ServiceLauncher(REPOSITORY, Files.createDirectories(data.resolve("a")));
            var b = new ServiceLauncher(REPOSITORY, Files.createDirectories(data.resolve("b")));
            int[] ports = {Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort()};
            // started together, as a Deployment's replicas are: both ingest instances run the migrations at once
            var starting = List.of(
                    CompletableFuture.supplyAsync(() -> InternalApi.startHealthy(a, "ingest-service", ports[0], common, List.of())),
                    CompletableFuture.supplyAsync(() -> InternalApi.startHealthy(b, "ingest-service", ports[1], common, List.of())),
                    CompletableFuture.supplyAsync(() -> InternalApi.startHealthy(a, "delivery-service", ports[2], common, deliveryArgs)),
                    CompletableFuture.supplyAsync(() -> InternalApi.startHealthy(b, "delivery-service", ports[3], common, deliveryArgs)));
            List<ChildProcess> processes = new ArrayList<>();
            try {
                for (var start : starting) {
                    processes.add(start.join());
                }
                String[] ingest = {"http://127.0.0.1:" + ports[0], "http://127.0.0.1:" + ports[1]};
                String[] delivery = {"http://127.0.0.1:" + ports[2], "http://127.0.0.1:" + ports[3]};
                api.post(ingest[0] + "/api/v1/app", "{\"name\":\"scale\",\"uid\":\"scale\"}");
                api.post(ingest[0] + "/api/v1/app", "{\"name\":\"warm\",\"uid\":\"warm\"}");
                for (int e = 0; e < ENDPOINTS; e++) {
                    api.post(ingest[1] + "/api/v1/app/scale/endpoint", "{\"url\":\"http://127.0.0.1:"
                            + receiver.getAddress().getPort() + "/hook/" + e + "\"}");
                    api.post(ingest[1] + "/api/v1/app/warm/endpoint", "{\"url\":\"http://127.0.0.1:"
                            + receiver.getAddress().getPort() + "/warm/" + e + "\"}");
                }
                // JIT-cold JVMs (four services, the broker, PostgreSQL and this test on two cores) need
                // a while before they serve the rate: the measurement starts on warm ones
                var warmed = new ConcurrentHashMap<Integer, Sent>();
                var unused = new ConcurrentHashMap<Integer, String>();
                paced(WARM_UP_RATE, WARM_UP_RATE * WARM_UP_SECONDS, (n, due) -> () -> send(ingest, "warm", n, due, warmed, unused));
                await().atMost(Duration.ofSeconds(120)).until(() -> warmArrivals.get() >= (long) warmed.size() * ENDPOINTS);

                var delivered = new AtomicLongArray(2); // each delivery instance's last delivered count seen
                var stopWatching = new AtomicBoolean();
                var watching = CompletableFuture.runAsync(() -> {
                    while (!stopWatching.get()) {
                        for (int i = 0; i < 2; i++) {
                            long count = deliveredCount(delivery[i]);
                            if (count >= 0) {
                                delivered.set(i, count);
                            }
                        }
                        LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
                    }
                });

                int total = RATE * SECONDS;
                int ingestKillAt = total / 3;
                int deliveryKillAt = 2 * total / 3;
                var sent = new ConcurrentHashMap<Integer, Sent>();
                var refused = new ConcurrentHashMap<Integer, String>();
                long[] killedAt = new long[2];
                long[] deliveredBeforeKill = new long[2];
                long[] deliveredAtStart = {deliveredCount(delivery[0]), deliveredCount(delivery[1])}; // the warm-up's
                paced(RATE, total, (n, due) -> {
                    if (n == ingestKillAt) {
                        killedAt[0] = kill(processes.get(0));
                    } else if (n == deliveryKillAt) {
                        deliveredBeforeKill[0] = delivered.get(0) - deliveredAtStart[0];
                        deliveredBeforeKill[1] = delivered.get(1) - deliveredAtStart[1];
                        killedAt[1] = kill(processes.get(2));
                    }
                    return () -> send(ingest, "scale", n, due, sent, refused);
                });
                long expected = (long) sent.size() * ENDPOINTS;
                await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500))
                        .until(() -> firstArrival.size() >= expected);
                // what the killed instance had claimed is taken over (at once, ADR 0032; at the latest
                // when its lease ends) and sent again: only then is the duplicate count final
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> metric(delivery[1], "hookrelay_delivery_pending") == 0);
                stopWatching.set(true);
                watching.join();
                long deliveredByA = delivered.get(0) - deliveredAtStart[0];
                long deliveredByB = deliveredCount(delivery[1]) - deliveredAtStart[1];

                report(sent, refused, firstArrival, receipts.get(), lastReceipt.get(), killedAt, deliveredBeforeKill, deliveredByA, deliveredByB);

                assertThat(refused).as("messages no instance accepted").isEmpty();
                assertThat(sent).hasSize(total);
                assertThat(sent.values().stream().map(Sent::msgId).distinct().count())
                        .as("one message per idempotency key, whichever instance answered").isEqualTo(total);
                assertThat(firstArrival).as("every accepted message at every endpoint").hasSize(total * ENDPOINTS);
                assertThat(receipts.get() - firstArrival.size()).as("duplicates after one delivery crash")
                        .isLessThanOrEqualTo(MAX_IN_FLIGHT);
                for (int i = 0; i < 2; i++) {
                    assertThat(deliveredBeforeKill[i]).as("deliveries delivery instance %d made before the kill", i)
                            .isGreaterThan(expected / 10);
                }
                long sentAfterKill = sent.values().stream().filter(s -> s.scheduledNanos() > killedAt[1]).count();
                assertThat(deliveredByB - deliveredBeforeKill[1])
                        .as("deliveries the surviving instance made after the kill: at least every delivery of a message sent after it")
                        .isGreaterThanOrEqualTo(sentAfterKill * ENDPOINTS);
            } finally {
                for (var process : processes) {
                    process.stop(Duration.ofSeconds(20));
                }
                receiver.stop(0);
            }
        }
    }

    /** Calls {@code message.at(n, due)} at each message's due time and runs what it returns on a virtual thread. */
    private static void paced(int rate, int count, Message message) throws Exception {
        long t0 = System.nanoTime();
        try (var senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int n = 0; n < count; n++) {
                long due = t0 + n * 1_000_000_000L / rate;
                LockSupport.parkNanos(due - System.nanoTime());
                senders.submit(message.at(n, due));
            }
        }
    }

    @FunctionalInterface
    interface Message {
        Runnable at(int n, long dueNanos) throws Exception;
    }

    /**
     * Sends message {@code n} to application {@code app} as a client behind a load balancer does:
     * first to its instance, and after a failure (no connection, a time-out, a 503) again with the
     * same idempotency key, to the other instance first, backing off up to {@link #TRIES} times.
     * A 503 may mean "accepted, outcome unknown": the key makes the retry safe.
     */
    private void send(String[] ingest, String app, int n, long scheduledNanos, Map<Integer, Sent> sent, Map<Integer, String> refused) {
        String firstFailure = null;
        for (int attempt = 0; attempt < TRIES; attempt++) {
            String target = ingest[(n + attempt) % 2];
            var request = HttpRequest.newBuilder(URI.create(target + "/api/v1/app/" + app + "/msg"))
                    .header("X-HookRelay-Internal-Token", INTERNAL_TOKEN)
                    .header("X-HookRelay-Scope", "org")
                    .header("content-type", "application/json")
                    .header("idempotency-key", app + "-" + n)
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"eventType\":\"scale.test\",\"payload\":{\"n\":" + n + "}}"))
                    .build();
            String failure;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    sent.put(n, new Sent(n, InternalApi.id(response.body(), "msg_"), target, attempt + 1, firstFailure,
                            response.headers().firstValue("idempotent-replayed").isPresent(), scheduledNanos));
                    return;
                }
                if (response.statusCode() != 503) {
                    refused.put(n, target + " answered " + response.statusCode() + ": " + response.body());
                    return;
                }
                failure = response.body().contains("may have been accepted") ? "503, outcome unknown" : "503, not stored";
            } catch (IOException e) {
                failure = e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            firstFailure = firstFailure == null ? failure : firstFailure;
            refused.put(n, target + ": " + failure);
            if (attempt > 0) {
                LockSupport.parkNanos(Duration.ofMillis(Math.min(4000, 250L << attempt)).toNanos());
            }
        }
    }

    private void report(Map<Integer, Sent> sent, Map<Integer, String> refused, Map<String, Long> firstArrival,
            long receipts, long lastReceipt, long[] killedAt, long[] deliveredBeforeKill, long deliveredByA, long deliveredByB) {
        sent.keySet().forEach(refused::remove); // a refusal the other instance made good
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        sent.values().forEach(s -> sentAt.put(s.msgId(), s.scheduledNanos()));
        var answeredBy = new ConcurrentHashMap<String, AtomicInteger>();
        sent.values().forEach(s -> answeredBy.computeIfAbsent(s.answeredBy(), k -> new AtomicInteger()).incrementAndGet());
        long retried = sent.values().stream().filter(m -> m.tries() > 1).count();
        var firstFailures = new TreeMap<String, Integer>();
        sent.values().stream().filter(m -> m.firstFailure() != null).forEach(m -> firstFailures.merge(m.firstFailure(), 1, Integer::sum));
        int mostTries = sent.values().stream().mapToInt(Sent::tries).max().orElse(0);
        long replayed = sent.values().stream().filter(Sent::replayed).count();
        // sent (scheduled) -> first arrival, per delivery, for messages sent around each kill
        var around = new long[2][];
        for (int k = 0; k < 2; k++) {
            long kill = killedAt[k];
            around[k] = firstArrival.entrySet().stream()
                    .filter(e -> {
                        Long sentNanos = sentAt.get(e.getKey().substring(e.getKey().indexOf(' ') + 1));
                        return sentNanos != null && sentNanos >= kill - 5_000_000_000L && sentNanos < kill + 5_000_000_000L;
                    })
                    .mapToLong(e -> e.getValue() - sentAt.get(e.getKey().substring(e.getKey().indexOf(' ') + 1)))
                    .sorted().toArray();
        }
        long lastOwedAtKill = firstArrival.entrySet().stream()
                .filter(e -> {
                    Long sentNanos = sentAt.get(e.getKey().substring(e.getKey().indexOf(' ') + 1));
                    return sentNanos != null && sentNanos < killedAt[1];
                })
                .mapToLong(Map.Entry::getValue).max().orElse(0);
        System.out.printf("ScaleOutIT: %d messages at %d/s, each to %d endpoints (the receiver takes %d ms); two ingest and two delivery instances%n"
                        + "  accepted per ingest instance: %s; %d sent more than once (first failures: %s; at most %d tries), %d of them answered as a replay%n"
                        + "  deliveries per delivery instance: before the kill %d and %d; in all %d (killed) and %d%n"
                        + "  receipts %d, unique %d, duplicates %d%n"
                        + "  sent -> first arrival, messages sent within 5 s of the ingest kill: p50 %s, max %s%n"
                        + "  sent -> first arrival, messages sent within 5 s of the delivery kill: p50 %s, max %s%n"
                        + "  the last delivery of a message sent before the delivery kill arrived %.1f s after it, the receiver's last request (duplicates included) %.1f s after it%n  messages no instance accepted: %d%n",
                sent.size(), RATE, ENDPOINTS, RECEIVER_MILLIS, answeredBy, retried, firstFailures, mostTries, replayed,
                deliveredBeforeKill[0], deliveredBeforeKill[1], deliveredByA, deliveredByB,
                receipts, firstArrival.size(), receipts - firstArrival.size(),
                millis(around[0], 50), millis(around[0], 100), millis(around[1], 50), millis(around[1], 100),
                (lastOwedAtKill - killedAt[1]) / 1e9, (lastReceipt - killedAt[1]) / 1e9, refused.size());
    }

    private static String millis(long[] sorted, int percentile) {
        if (sorted.length == 0) {
            return "-";
        }
        int index = Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * percentile / 100.0) - 1);
        return String.format("%.0f ms", sorted[Math.max(0, index)] / 1e6);
    }

    private static long kill(ChildProcess process) throws InterruptedException {
        long at = System.nanoTime();
        process.process().destroyForcibly();
        process.process().waitFor();
        return at;
    }

    /** The instance's successful attempts so far, from its metrics; -1 when it does not answer. */
    private long deliveredCount(String deliveryUrl) {
        return metric(deliveryUrl, "hookrelay_delivery_attempts_total", "outcome=\"delivered\"");
    }

    /** The sum of the instance's samples of metric {@code name} (those with {@code label} if given); -1 when it does not answer. */
    private long metric(String deliveryUrl, String name, String... label) {
        var request = HttpRequest.newBuilder(URI.create(deliveryUrl + "/actuator/prometheus"))
                .header("X-HookRelay-Internal-Token", INTERNAL_TOKEN).timeout(Duration.ofSeconds(2)).build();
        try {
            String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
            return body.lines()
                    .filter(line -> (line.startsWith(name + "{") || line.startsWith(name + " ")) && (label.length == 0 || line.contains(label[0])))
                    .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .sum();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Records each delivery's first arrival (endpoint path + webhook-id) and counts every request; counts the warm-up's. */
    private static HttpServer receiver(Map<String, Long> firstArrival, AtomicLong receipts, AtomicLong lastReceipt, AtomicLong warmArrivals)
            throws IOException {
        System.setProperty("sun.net.httpserver.maxIdleConnections", "2000");
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            long now = System.nanoTime();
            firstArrival.putIfAbsent(exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders().getFirst("webhook-id"), now);
            receipts.incrementAndGet();
            lastReceipt.set(now);
            LockSupport.parkNanos(Duration.ofMillis(RECEIVER_MILLIS).toNanos());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.createContext("/warm/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            warmArrivals.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        return server;
    }
}
