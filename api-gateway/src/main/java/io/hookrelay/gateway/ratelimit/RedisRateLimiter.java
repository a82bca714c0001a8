package io.hookrelay.gateway.ratelimit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import reactor.core.publisher.Mono;

/**
 * Buckets in Redis, shared by every gateway replica: one Lua script takes a token atomically on
 * Redis's clock. When Redis does not answer within the configured time the request is let through
 * and {@code hookrelay.gateway.ratelimit.unavailable} counts it — limits fail open, the API stays up
 * (also when Redis is down at start-up: the connection is made in the background, never waited for).
 */
final class RedisRateLimiter implements RateLimiter, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);
    private static final String KEY_PREFIX = "hookrelay:ratelimit:";

    private final RateLimitProperties properties;
    private final RedisClient client;
    private final Mono<RedisReactiveCommands<String, String>> redis;
    private final AtomicReference<StatefulRedisConnection<String, String>> connection = new AtomicReference<>();
    private final AtomicBoolean degraded = new AtomicBoolean();
    private final String script;
    private final String sha;
    private final Counter unavailable;

    RedisRateLimiter(RateLimitProperties properties, MeterRegistry meters) {
        this.properties = properties;
        this.client = RedisClient.create();
        // connected in the background from start-up, never waited for: a gateway must start (and
        // serve, unlimited) while Redis is down; a failed attempt is retried on use after a second,
        // a made connection reconnects by itself
        this.redis = Mono.fromCompletionStage(() -> client.connectAsync(StringCodec.UTF8, RedisURI.create(properties.redisUri())))
                .doOnNext(connection::set)
                .map(StatefulRedisConnection::reactive)
                .cache(commands -> Duration.ofMillis(Long.MAX_VALUE), error -> Duration.ofSeconds(1), () -> Duration.ZERO);
        this.script = load();
        this.sha = sha1(script);
        this.unavailable = meters.counter("hookrelay.gateway.ratelimit.unavailable");
        // the URI may carry Redis's password (redis://:password@host): never logged
        redis.subscribe(connected -> log.info("Rate limits kept in Redis at {}", Redacted.uri(properties.redisUri())),
                notYet -> log.warn("Redis for rate limits not reachable yet ({}); limits fail open until it is",
                        Redacted.uri(notYet)));
    }

    @Override
    public Mono<Allowance> take(String key, Rate rate) {
        String[] keys = {KEY_PREFIX + key};
        String[] args = {Integer.toString(rate.burst()), Integer.toString(rate.requestsPerSecond())};
        return redis.flatMap(commands -> commands.<List<Long>>evalsha(sha, ScriptOutputType.MULTI, keys, args)
                        .onErrorResume(RedisNoScriptException.class,
                                e -> commands.<List<Long>>eval(script, ScriptOutputType.MULTI, keys, args))
                        .next())
                .map(r -> new Allowance(r.get(0) == 1L, rate.burst(), r.get(1), r.get(2), r.get(3)))
                .timeout(properties.redisTimeout())
                .doOnNext(allowance -> {
                    if (degraded.compareAndSet(true, false)) {
                        log.info("Rate limit store reachable again");
                    }
                })
                .onErrorResume(e -> {
                    unavailable.increment();
                    if (degraded.compareAndSet(false, true)) {
                        log.warn("Rate limit store unavailable, letting requests through until it answers: {}",
                                Redacted.uri(e));
                    }
                    return Mono.just(new Allowance(true, rate.burst(), rate.burst() - 1, 0, 0));
                });
    }

    @Override
    public void close() {
        var open = connection.get();
        if (open != null) {
            open.close();
        }
        client.shutdown();
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }

    private static String load() {
        try {
            return new ClassPathResource("ratelimit/token-bucket.lua").getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
