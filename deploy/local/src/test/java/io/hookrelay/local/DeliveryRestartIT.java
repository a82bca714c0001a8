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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Nothing accepted is lost when delivery-service is killed hard in the middle of a run: real
 * PostgreSQL and Kafka, ingest-service and delivery-service as their own processes, a real
 * receiver that counts what it gets. Prints the duplicate count.
 *
 * <p>On demand ({@code -Dhookrelay.crash-proof=true}, with {@link CrashDuplicatesIT}): the default
 * build proves the same promise through {@code bin/run-local} in the fault campaign's short form
 * ({@code deploy/bench} ChaosIT kills delivery-service under load and fails on any loss or a
 * recovery that needs a hand), and this class's own PostgreSQL, Kafka and four service starts cost
 * a minute and a half of the CI run's 30.
 */
@EnabledIfSystemProperty(named = "hookrelay.crash-proof", matches = "true")
class DeliveryRestartIT {

    static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();
    static final String INTERNAL_TOKEN = "restart-it";
    static final int MESSAGES = 3000;

    /** Under target/ rather than a temporary directory, so the services' logs outlive a failure. */
    final Path data = Path.of("target", "restart-it", Long.toString(System.currentTimeMillis())).toAbsolutePath();

    final InternalApi api = new InternalApi(INTERNAL_TOKEN);

    @Test
    void aHardKilledDeliveryServiceLosesNoMessage() throws Exception {
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
                    "--spring.kafka.consumer.properties.session.timeout.ms=10000",
                    "--spring.kafka.consumer.properties.heartbeat.interval.ms=2000");
            int deliveryPort = Ports.freePort();
            ChildProcess delivery = InternalApi.startHealthy(launcher, "delivery-service", deliveryPort, common, deliveryArgs);
            try {
                String ingestUrl = "http://127.0.0.1:" + ingestPort;
                String app = api.post(ingestUrl + "/api/v1/app", "{\"name\":\"restart\",\"uid\":\"restart\"}");
                api.post(ingestUrl + "/api/v1/app/restart/endpoint", "{\"url\":\"http://127.0.0.1:"
                        + receiver.getAddress().getPort() + "/hook\"}");
                assertThat(app).contains("app_");
                long started = System.nanoTime();

                CompletableFuture<List<String>> sending = CompletableFuture.supplyAsync(() -> api.sendMessages(ingestUrl, "restart", "restart.test", MESSAGES));
                await().atMost(Duration.ofSeconds(120)).until(() -> received.size() >= MESSAGES / 4);
                delivery.process().destroyForcibly();
                delivery.process().waitFor();
                int atKill = received.size();
                delivery = InternalApi.startHealthy(launcher, "delivery-service", deliveryPort, common, deliveryArgs);
                List<String> sent = sending.get();

                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                        .until(() -> received.keySet().containsAll(sent));
                long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
                long duplicates = total.get() - received.size();
                System.out.printf("DeliveryRestartIT: %d messages accepted, killed delivery-service (SIGKILL) after %d"
                                + " delivered, all %d delivered after restart; %d requests in all, %d duplicates (%.2f%%),"
                                + " %d s%n",
                        sent.size(), atKill, received.size(), total.get(), duplicates, 100.0 * duplicates / sent.size(),
                        seconds);
                assertThat(received.keySet()).containsAll(sent);
                assertThat(sent).hasSize(MESSAGES);
            } finally {
                delivery.stop(Duration.ofSeconds(20));
                ingest.stop(Duration.ofSeconds(20));
                receiver.stop(0);
            }
        }
    }

    private static HttpServer receiver(Map<String, AtomicInteger> received, AtomicLong total) throws Exception {
        System.setProperty("sun.net.httpserver.maxIdleConnections", "2000");
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            received.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet();
            total.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        return server;
    }
}
