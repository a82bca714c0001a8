package io.hookrelay.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The Redis password in {@code redis-uri} reaches Redis, never a log line: connected, refused or unreachable. */
@ExtendWith(OutputCaptureExtension.class)
class RedisPasswordNotLoggedIT {

    private static final String PASSWORD = "rl-pw-8e41c7";
    private static final Rate RATE = new Rate(1, 10);

    @Test
    void logsWhereLimitsAreKeptWithoutThePassword(CapturedOutput output) {
        try (var redis = RedisServer.startWithPassword(PASSWORD);
                var limiter = limiter("redis://:" + PASSWORD + "@127.0.0.1:" + redis.port())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> output.getAll().contains("Rate limits kept in Redis"));

            assertThat(limiter.take("tok_a", RATE).block().remaining()).as("authenticated and limiting").isEqualTo(9);
            assertThat(output.getAll()).contains("Rate limits kept in Redis at redis://***@127.0.0.1:" + redis.port())
                    .doesNotContain(PASSWORD);
        }
    }

    @Test
    void logsARefusedOrUnreachableRedisWithoutThePassword(CapturedOutput output) {
        int nobody = io.hookrelay.infra.Ports.freePort();
        try (var redis = RedisServer.startWithPassword("another-one");
                var wrong = limiter("redis://:" + PASSWORD + "@127.0.0.1:" + redis.port());
                var unreachable = limiter("redis://app:" + PASSWORD + "@127.0.0.1:" + nobody)) {
            wrong.take("tok_b", RATE).block();
            unreachable.take("tok_c", RATE).block();

            await().atMost(Duration.ofSeconds(10)).until(() -> output.getAll().contains("not reachable yet"));
            assertThat(output.getAll()).doesNotContain(PASSWORD);
        }
    }

    private static RedisRateLimiter limiter(String uri) {
        return new RedisRateLimiter(new RateLimitProperties(true, 1, 10, RateLimitProperties.Organisation.unlimited(), URI.create(uri), Duration.ofSeconds(2)),
                new SimpleMeterRegistry());
    }
}
