package io.hookrelay.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.infra.SharedInfrastructure;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * With a Redis URI configured, the gateway keeps its buckets in Redis. The admin token is an
 * organisation token, unlimited by default: the test gives organisation tokens a rate of their own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "hookrelay.gateway.admin-token=redis-it",
    "hookrelay.internal-token=redis-it-internal",
    "hookrelay.gateway.ingest-uri=http://127.0.0.1:9",
    "hookrelay.gateway.delivery-uri=http://127.0.0.1:9",
    "hookrelay.gateway.rate-limit.organisation.requests-per-second=1",
    "hookrelay.gateway.rate-limit.organisation.burst=2"
})
class RedisRateLimitGatewayIT {

    static final RedisServer redis = RedisServer.start();

    @LocalServerPort
    int port;

    @Autowired
    RateLimiter limiter;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        var infra = SharedInfrastructure.get();
        registry.add("hookrelay.database.port", infra.postgres()::port);
        registry.add("hookrelay.database.name", () -> SharedInfrastructure.DATABASE);
        registry.add("hookrelay.gateway.rate-limit.redis-uri", () -> redis.uri().toString());
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @Test
    void limitsThroughRedis() {
        assertThat(limiter).isInstanceOf(RedisRateLimiter.class);
        var client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
        // nothing listens behind the gateway (port 9): a 503 still spends a token; the first
        // requests may come before the connection to Redis is made (and go through, unlimited)
        int refusedAt = 0;
        for (int i = 1; i <= 10 && refusedAt == 0; i++) {
            var result = client.get().uri("/api/v1/app").header("Authorization", "Bearer redis-it").exchange()
                    .expectHeader().valueEquals("RateLimit-Limit", "2")
                    .returnResult(String.class);
            if (result.getStatus().value() == 429) {
                refusedAt = i;
            } else {
                assertThat(result.getStatus().value()).isEqualTo(503);
            }
        }
        assertThat(refusedAt).as("request refused by the Redis bucket of 2").isBetween(3, 10);

        var direct = RedisClient.create(redis.uri().toString());
        try (var connection = direct.connect()) {
            assertThat(connection.sync().exists("hookrelay:ratelimit:admin")).isEqualTo(1L);
        } finally {
            direct.shutdown();
        }
    }
}
