package io.hookrelay.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** Two limiters against one real Redis stand for two gateway replicas sharing their limits. */
class RedisRateLimiterIT {

    static RedisServer redis;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @Test
    void replicasDrawFromTheSameBucket() {
        var properties = new RateLimitProperties(true, 1, 10, RateLimitProperties.Organisation.unlimited(), redis.uri(), Duration.ofSeconds(2));
        var meters = new SimpleMeterRegistry();
        try (var first = new RedisRateLimiter(properties, meters); var second = new RedisRateLimiter(properties, meters)) {
            List<Allowance> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(first.take("tok_shared", properties.applicationRate()).block());
                answers.add(second.take("tok_shared", properties.applicationRate()).block());
            }
            assertThat(answers.stream().filter(Allowance::allowed)).as("one bucket of 10 for both replicas").hasSize(10);
            var refused = answers.getLast();
            assertThat(refused.allowed()).isFalse();
            assertThat(refused.remaining()).isZero();
            assertThat(refused.retryAfterMillis()).isBetween(1L, 1000L);
            assertThat(refused.resetMillis()).isBetween(9_000L, 10_000L);

            assertThat(first.take("tok_other", properties.applicationRate()).block().remaining()).as("another token, another bucket").isEqualTo(9);
            assertThat(meters.counter("hookrelay.gateway.ratelimit.unavailable").count()).isZero();
        }
    }

    @Test
    void concurrentRequestsNeverOverspend() {
        var properties = new RateLimitProperties(true, 1, 50, RateLimitProperties.Organisation.unlimited(), redis.uri(), Duration.ofSeconds(2));
        try (var first = new RedisRateLimiter(properties, new SimpleMeterRegistry());
                var second = new RedisRateLimiter(properties, new SimpleMeterRegistry())) {
            long allowed = Flux.range(0, 200)
                    .flatMap(i -> (i % 2 == 0 ? first : second).take("tok_race", properties.applicationRate()), 32)
                    .filter(Allowance::allowed)
                    .count()
                    .block();
            // 50 in the bucket, plus at most what refilled at 1/s while the 200 calls ran
            assertThat(allowed).isBetween(50L, 53L);
        }
    }

    @Test
    void startsWithoutRedisAndLimitsOnceItIsThere() {
        int port = io.hookrelay.infra.Ports.freePort();
        var properties = new RateLimitProperties(true, 1, 1, RateLimitProperties.Organisation.unlimited(), java.net.URI.create("redis://127.0.0.1:" + port), Duration.ofMillis(300));
        var meters = new SimpleMeterRegistry();
        try (var limiter = new RedisRateLimiter(properties, meters)) {
            assertThat(limiter.take("tok", properties.applicationRate()).block().allowed()).isTrue();
            assertThat(limiter.take("tok", properties.applicationRate()).block().allowed()).as("still failing open").isTrue();
            assertThat(meters.counter("hookrelay.gateway.ratelimit.unavailable").count()).isEqualTo(2);

            try (var late = RedisServer.start(port)) {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                        .until(() -> !limiter.take("tok", properties.applicationRate()).block().allowed());
            }
        }
    }

    @Test
    void failsOpenWhenRedisIsGone() {
        var own = RedisServer.start();
        var properties = new RateLimitProperties(true, 1, 1, RateLimitProperties.Organisation.unlimited(), own.uri(), Duration.ofMillis(300));
        var meters = new SimpleMeterRegistry();
        try (var limiter = new RedisRateLimiter(properties, meters)) {
            assertThat(limiter.take("tok", properties.applicationRate()).block().allowed()).isTrue();
            assertThat(limiter.take("tok", properties.applicationRate()).block().allowed()).isFalse();
            own.close();
            long start = System.nanoTime();
            assertThat(limiter.take("tok", properties.applicationRate()).block().allowed()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(meters.counter("hookrelay.gateway.ratelimit.unavailable").count()).isEqualTo(1);
        }
    }
}
