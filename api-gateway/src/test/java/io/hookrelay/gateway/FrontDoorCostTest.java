package io.hookrelay.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The gateway with a small allowance of failed authentications and a cached health answer, one
 * context for {@link FailedAuthenticationIT} and {@link HealthCacheIT}. Requests leave from chosen
 * loopback addresses (127.0.0.0/8 is all loopback on Linux), so each test is a client of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "hookrelay.gateway.auth-failures.allowance=" + FrontDoorCostTest.ALLOWANCE,
    "hookrelay.gateway.auth-failures.refill-every=1h",
    "hookrelay.gateway.auth-failures.trusted-proxies=" + FrontDoorCostTest.TRUSTED_PROXY,
    "hookrelay.gateway.tokens.cache-ttl=10m",
    "hookrelay.gateway.rate-limit.requests-per-second=1000",
    "hookrelay.gateway.rate-limit.burst=1000",
    "hookrelay.gateway.health.cache-for=" + FrontDoorCostTest.HEALTH_CACHE_MILLIS + "ms",
    // as in a pod, where Spring Boot would otherwise believe any client's X-Forwarded-For and Forwarded
    "spring.main.cloud-platform=kubernetes"
})
abstract class FrontDoorCostTest {

    static final int ALLOWANCE = 5;
    static final String TRUSTED_PROXY = "127.0.0.3";
    static final long HEALTH_CACHE_MILLIS = 1500;
    static final String ADMIN_TOKEN = GatewayTestSupport.ADMIN_TOKEN;
    static final StubService ingest = new StubService("ingest");
    static final StubService delivery = new StubService("delivery");
    private static final SecureRandom random = new SecureRandom();
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        GatewayTestSupport.services(registry, ingest, delivery);
    }

    @BeforeEach
    void resetStubs() {
        ingest.reset();
        delivery.reset();
    }

    /** A token of our shape that no one issued: {@code hrsk_} and 43 random base62 characters. */
    static String randomToken() {
        var token = new StringBuilder("hrsk_");
        for (int i = 0; i < 43; i++) {
            token.append(BASE62[random.nextInt(BASE62.length)]);
        }
        return token.toString();
    }

    /** An HTTP client whose connections leave from {@code localAddress}. */
    static HttpClient from(String localAddress) {
        try {
            return HttpClient.newBuilder().localAddress(InetAddress.getByName(localAddress))
                    .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HttpRequest.Builder request(String path, String token) {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(15));
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    double counter(String name) {
        var counter = meters.find(name).counter();
        return counter == null ? 0 : counter.count();
    }
}
