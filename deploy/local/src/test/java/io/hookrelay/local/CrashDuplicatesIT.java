package io.hookrelay.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.hookrelay.infra.ChildProcess;
import io.hookrelay.infra.KafkaBroker;
import io.hookrelay.infra.Ports;
import io.hookrelay.infra.PostgresServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Duplicates after a crash are bounded by what was in flight, and each one is in the attempt list
 * (ADR 0027). delivery-service (its own process, real PostgreSQL and Kafka) delivers messages to
 * four endpoints of a receiver that takes 20 ms per request, and is killed with SIGKILL a quarter
 * of the way through; a fresh one takes over when the lease ends. Afterwards: the duplicates the
 * receiver counted are at most {@code max-in-flight} (the bound: a process can only have that many
 * attempts between claim and recorded outcome), and for every delivery the attempt list, read
 * through the API, holds at least as many successes plus "outcome unknown" attempts as the
 * receiver got requests. Prints the figures. A measurement (about two minutes plus two service
 * starts), so it runs on demand: {@code -Dhookrelay.crash-proof=true}.
 */
@EnabledIfSystemProperty(named = "hookrelay.crash-proof", matches = "true")
class CrashDuplicatesIT {

    static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();
    static final String INTERNAL_TOKEN = "crash-duplicates-it";
    static final int MESSAGES = Integer.getInteger("hookrelay.crash-proof.messages", 1500);
    static final int ENDPOINTS = 4;
    static final int MAX_IN_FLIGHT = 200;
    static final Pattern ATTEMPT = Pattern.compile(
            "\\{[^{}]*?\"id\":\"(atmpt_[^\"]+)\"[^{}]*?\"msgId\":\"(msg_[^\"]+)\"[^{}]*?\\}");
    static final Pattern RESPONSE = Pattern.compile("\"response\":\"((?:[^\"\\\\]|\\\\.)*)\"");
    static final Pattern STATUS = Pattern.compile("\"status\":(\\d)");

    final Path data = Path.of("target", "crash-duplicates-it", Long.toString(System.currentTimeMillis())).toAbsolutePath();
    final InternalApi api = new InternalApi(INTERNAL_TOKEN);

    @Test
    void duplicatesAfterAKillStayWithinWhatWasInFlightAndEachIsInTheAttemptList() throws Exception {
        var received = new ConcurrentHashMap<String, AtomicInteger>();
        var total = new AtomicLong();
        HttpServer receiver = receiver(received, total);
        try (var postgres = PostgresServer.start(data.resolve("postgres"), 0);
                var kafka = KafkaBroker.start(data.resolve("kafka"), 0)) {
            postgres.createDatabase("hookrelay");
            java.nio.file.Files.createDirectories(data);
            var launcher = new ServiceLauncher(REPOSITORY, data);
            List<String> common = api.serviceArguments(postgres, kafka, data);
            int ingestPort = Ports.freePort();
            ChildProcess ingest = InternalApi.startHealthy(launcher, "ingest-service", ingestPort, common, List.of());
            List<String> deliveryArgs = List.of(
                    "--hookrelay.delivery.destinations.allow-loopback=true",
                    "--hookrelay.delivery.lease=10s",
                    "--hookrelay.delivery.request-timeout=5s",
                    "--hookrelay.delivery.room-wait=2s",
                    "--hookrelay.delivery.max-in-flight=" + MAX_IN_FLIGHT,
                    "--hookrelay.delivery.max-in-flight-per-application=" + MAX_IN_FLIGHT,
                    "--spring.kafka.consumer.properties.session.timeout.ms=10000",
                    "--spring.kafka.consumer.properties.heartbeat.interval.ms=2000");
            int deliveryPort = Ports.freePort();
            ChildProcess delivery = InternalApi.startHealthy(launcher, "delivery-service", deliveryPort, common, deliveryArgs);
            try {
                String ingestUrl = "http://127.0.0.1:" + ingestPort;
                api.post(ingestUrl + "/api/v1/app", "{\"name\":\"crash\",\"uid\":\"crash\"}");
                List<String> endpoints = new ArrayList<>();
                for (int e = 0; e < ENDPOINTS; e++) {
                    endpoints.add(InternalApi.id(api.post(ingestUrl + "/api/v1/app/crash/endpoint", "{\"url\":\"http://127.0.0.1:"
                            + receiver.getAddress().getPort() + "/hook/" + e + "\"}"), "ep_"));
                }
                long owed = (long) MESSAGES * ENDPOINTS;

                CompletableFuture<List<String>> sending = CompletableFuture.supplyAsync(() -> api.sendMessages(ingestUrl, "crash", "crash.test", MESSAGES));
                await().atMost(Duration.ofSeconds(180)).until(() -> received.size() >= owed / 4);
                delivery.process().destroyForcibly();
                delivery.process().waitFor();
                int atKill = received.size();
                delivery = InternalApi.startHealthy(launcher, "delivery-service", deliveryPort, common, deliveryArgs);
                List<String> sent = sending.get();
                long expected = (long) sent.size() * ENDPOINTS;
                await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500))
                        .until(() -> received.size() >= expected);

                String deliveryUrl = "http://127.0.0.1:" + deliveryPort;
                Map<String, int[]> listed = new HashMap<>(); // as the receiver's keys -> {successes, unknown}
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    listed.clear();
                    for (int e = 0; e < ENDPOINTS; e++) {
                        readAttempts(deliveryUrl, endpoints.get(e), "/hook/" + e, listed);
                    }
                    return listed.values().stream().mapToInt(counts -> counts[0]).sum() >= expected;
                });
                long duplicates = total.get() - received.size();
                long unknown = listed.values().stream().mapToInt(counts -> counts[1]).sum();
                List<String> unexplained = new ArrayList<>();
                received.forEach((key, count) -> {
                    int[] counts = listed.getOrDefault(key, new int[2]);
                    if (count.get() > counts[0] + counts[1]) {
                        unexplained.add(key + ": " + count.get() + " received, " + counts[0] + " successes and "
                                + counts[1] + " unknown listed");
                    }
                });
                System.out.printf("CrashDuplicatesIT: %d messages × %d endpoints accepted; delivery-service killed"
                                + " (SIGKILL) after %d deliveries; all %d delivered; %d requests, %d duplicates"
                                + " (bound: max-in-flight %d); %d attempts listed as outcome unknown; %d receipts"
                                + " not matched by the list%n",
                        sent.size(), ENDPOINTS, atKill, received.size(), total.get(), duplicates, MAX_IN_FLIGHT,
                        unknown, unexplained.size());

                assertThat(sent).hasSize(MESSAGES);
                assertThat(duplicates).as("duplicates after one crash").isLessThanOrEqualTo(MAX_IN_FLIGHT);
                assertThat(unexplained).as("receipts the attempt list does not show").isEmpty();
            } finally {
                delivery.stop(Duration.ofSeconds(20));
                ingest.stop(Duration.ofSeconds(20));
                receiver.stop(0);
            }
        }
    }

    /**
     * Every attempt to one endpoint, page by page, counted per delivery as {successes, outcome
     * unknown}, under the receiver's key for that delivery ({@code path webhook-id}).
     */
    private void readAttempts(String deliveryUrl, String endpoint, String path, Map<String, int[]> listed)
            throws Exception {
        String iterator = null;
        while (true) {
            String body = api.get(deliveryUrl + "/api/v1/app/crash/attempt/endpoint/" + endpoint + "?limit=250"
                    + (iterator == null ? "" : "&iterator=" + iterator));
            Matcher attempt = ATTEMPT.matcher(body);
            while (attempt.find()) {
                String json = attempt.group();
                int[] counts = listed.computeIfAbsent(path + " " + attempt.group(2), key -> new int[2]);
                Matcher status = STATUS.matcher(json);
                Matcher response = RESPONSE.matcher(json);
                if (status.find() && status.group(1).equals("0")) {
                    counts[0]++;
                } else if (response.find() && response.group(1).startsWith("Outcome unknown")) {
                    counts[1]++;
                }
            }
            Matcher next = Pattern.compile("\"iterator\":\"([^\"]+)\"").matcher(body);
            if (body.contains("\"done\":true") || !next.find()) {
                return;
            }
            iterator = next.group(1);
        }
    }

    /**
     * Counts requests per delivery (endpoint path + webhook-id), taking 20 ms each so that many are
     * in flight when the kill comes.
     */
    private static HttpServer receiver(Map<String, AtomicInteger> received, AtomicLong total) throws Exception {
        System.setProperty("sun.net.httpserver.maxIdleConnections", "2000");
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String endpointPath = exchange.getRequestURI().getPath();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            received.computeIfAbsent(endpointPath + " " + id, key -> new AtomicInteger()).incrementAndGet();
            total.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        return server;
    }
}
