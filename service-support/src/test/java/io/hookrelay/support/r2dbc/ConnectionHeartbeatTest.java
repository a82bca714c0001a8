package io.hookrelay.support.r2dbc;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ValidationDepth;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class ConnectionHeartbeatTest {

    static final Duration BEAT = Duration.ofSeconds(5);

    @Test
    void aSlowCheckWithinTheBeatKeepsItGoing() {
        StepVerifier.withVirtualTime(() -> ConnectionHeartbeat.of(connection(check -> Mono.delay(Duration.ofMillis(4_900))
                                .thenReturn(true)), BEAT, "lost")
                        .take(5))
                .thenAwait(Duration.ofMinutes(2))
                .expectNextCount(5)
                .verifyComplete();
    }

    @Test
    void aFailedCheckEndsIt() {
        StepVerifier.withVirtualTime(() -> ConnectionHeartbeat.of(connection(check -> Mono.just(check < 3)), BEAT, "lost"))
                .thenAwait(Duration.ofMinutes(1))
                .expectNextCount(3)
                .verifyErrorMessage("lost");
    }

    @Test
    void aCheckWithoutAnAnswerWithinTheBeatEndsIt() {
        StepVerifier.withVirtualTime(() -> ConnectionHeartbeat.of(connection(check -> Mono.never()), BEAT, "lost"))
                .thenAwait(Duration.ofMinutes(1))
                .expectError(java.util.concurrent.TimeoutException.class)
                .verify();
    }

    /** A connection whose n-th remote validation (from 0) answers as {@code checks} says; nothing else is called. */
    private static Connection connection(IntFunction<Mono<Boolean>> checks) {
        var count = new AtomicInteger();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("validate") && args[0] == ValidationDepth.REMOTE) {
                        return checks.apply(count.getAndIncrement());
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
