package io.hookrelay.gateway.ratelimit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import reactor.core.publisher.Mono;

/**
 * Buckets in Redis, shared by every gateway replica: one Lua script takes a token atomically on
 * Redis's clock. When Redis does not answer within the configured time the request is let through
 * and {@code hookrelay.gateway.ratelimit.unavailable} counts it — limits fail open, the API stays up.
 */
final class RedisRateLimiter implements RateLimiter, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);
    private static final String KEY_PREFIX = "hookrelay:ratelimit:";

    private final RateLimitProperties properties;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisReactiveCommands<String, String> redis;
    private final String script;
    private final String sha;
    private final String[] args;
    private final Counter unavailable;

    RedisRateLimiter(RateLimitProperties properties, MeterRegistry meters) {
        this.properties = properties;
        this.client = RedisClient.create(properties.redisUri().toString());
        this.connection = client.connect();
        this.redis = connection.reactive();
        this.script = load();
        this.sha = connection.sync().digest(script);
        this.args = new String[] {Integer.toString(properties.burst()), Integer.toString(properties.requestsPerSecond())};
        this.unavailable = meters.counter("hookrelay.gateway.ratelimit.unavailable");
    }

    @Override
    public Mono<Allowance> take(String key) {
        String[] keys = {KEY_PREFIX + key};
        return redis.<List<Long>>evalsha(sha, ScriptOutputType.MULTI, keys, args)
                .onErrorResume(RedisNoScriptException.class,
                        e -> redis.<List<Long>>eval(script, ScriptOutputType.MULTI, keys, args))
                .next()
                .map(r -> new Allowance(r.get(0) == 1L, properties.burst(), r.get(1), r.get(2), r.get(3)))
                .timeout(properties.redisTimeout())
                .onErrorResume(e -> {
                    unavailable.increment();
                    log.warn("Rate limit store unavailable, letting the request through: {}", e.toString());
                    return Mono.just(new Allowance(true, properties.burst(), properties.burst() - 1, 0, 0));
                });
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }

    private static String load() {
        try {
            return new ClassPathResource("ratelimit/token-bucket.lua").getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
