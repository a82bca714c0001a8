package io.hookrelay.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A pooled connection between the gateway and a service must never be reused at the moment the
 * service closes it for being idle: the client would get a 500 for a request the service never
 * saw. Here the service closes idle connections after {@value #SERVICE_IDLE_MS} ms, and requests
 * from several clients are spaced to arrive just around that moment. With the gateway's pool
 * closing idle connections first (the relation production keeps, ADR 0020), no request fails;
 * without it, some do (the second test, on demand, shows the race is real, so the first can fail).
 */
class IdleConnectionRaceIT {

    static final int SERVICE_IDLE_MS = 600;
    static final int CLIENTS = 12;
    static final Duration RUN_FOR = Duration.ofSeconds(15);

    /** A Reactor Netty service (as ingest is) with a short idle timeout, answering 202 after reading the body. */
    static final DisposableServer service = HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .idleTimeout(Duration.ofMillis(SERVICE_IDLE_MS))
            .handle((request, response) -> request.receive().aggregate().asString().defaultIfEmpty("")
                    .then(response.status(202).header("content-type", "application/json").sendString(Mono.just("{}")).then()))
            .bindNow();

    @AfterAll
    static void stopService() {
        service.disposeNow();
    }

    static void routeToTheService(DynamicPropertyRegistry registry) {
        GatewayTestSupport.database(registry);
        registry.add("hookrelay.gateway.admin-token", () -> GatewayTestSupport.ADMIN_TOKEN);
        registry.add("hookrelay.gateway.ingest-uri", () -> "http://127.0.0.1:" + service.port());
        registry.add("hookrelay.gateway.delivery-uri", () -> "http://127.0.0.1:" + service.port());
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties =
            "spring.cloud.gateway.server.webflux.httpclient.pool.max-idle-time=" + (SERVICE_IDLE_MS / 2) + "ms")
    class GatewayClosesIdleConnectionsFirst {

        @LocalServerPort
        int port;

        @DynamicPropertySource
        static void services(DynamicPropertyRegistry registry) {
            routeToTheService(registry);
        }

        @Test
        void noRequestFailsWhenTheServiceClosesIdleConnections() throws Exception {
            Map<Integer, Integer> statuses = race(port);

            System.out.printf("IdleConnectionRaceIT, gateway idle %d ms < service idle %d ms: %s%n",
                    SERVICE_IDLE_MS / 2, SERVICE_IDLE_MS, statuses);
            assertThat(statuses).containsOnlyKeys(202);
        }
    }

    /**
     * The proof that the race is real: 9 × 500 in 284 requests in one run, 1 in 280 in another, both
     * on a loaded machine; 0 in 300 on a quieter one. How often the race is hit depends on load, so
     * this side runs on demand only ({@code -Dhookrelay.race-proof=true}).
     */
    @Nested
    @EnabledIfSystemProperty(named = "hookrelay.race-proof", matches = "true")
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties =
            "spring.cloud.gateway.server.webflux.httpclient.pool.max-idle-time=1h")
    class GatewayKeepsIdleConnectionsLonger {

        @LocalServerPort
        int port;

        @DynamicPropertySource
        static void services(DynamicPropertyRegistry registry) {
            routeToTheService(registry);
        }

        @Test
        void someRequestsFailSoTheRaceIsReal() throws Exception {
            Map<Integer, Integer> statuses = race(port);

            System.out.printf("IdleConnectionRaceIT, gateway idle 1 h > service idle %d ms: %s%n", SERVICE_IDLE_MS, statuses);
            assertThat(statuses.keySet()).anyMatch(status -> status >= 500);
        }
    }

    /** {@value #CLIENTS} clients, each sending a message, waiting about the service's idle time, again. */
    static Map<Integer, Integer> race(int gatewayPort) throws InterruptedException {
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        var statuses = new ConcurrentHashMap<Integer, Integer>();
        var sent = new AtomicInteger();
        long end = System.nanoTime() + RUN_FOR.toNanos();
        var clients = new Thread[CLIENTS];
        for (int i = 0; i < CLIENTS; i++) {
            clients[i] = Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < end) {
                    statuses.merge(send(http, gatewayPort, sent.incrementAndGet()), 1, Integer::sum);
                    sleepAroundTheIdleTimeout();
                }
            });
        }
        for (Thread client : clients) {
            client.join();
        }
        return statuses;
    }

    private static int send(HttpClient http, int gatewayPort, int n) {
        String body = "{\"eventType\":\"race.test\",\"payload\":{\"n\":" + n + ",\"pad\":\"" + "x".repeat(2_000) + "\"}}";
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + "/api/v1/app/race/msg"))
                .timeout(Duration.ofSeconds(20))
                .header("authorization", "Bearer " + GatewayTestSupport.ADMIN_TOKEN)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void sleepAroundTheIdleTimeout() {
        try {
            Thread.sleep(SERVICE_IDLE_MS + ThreadLocalRandom.current().nextInt(-15, 6));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
