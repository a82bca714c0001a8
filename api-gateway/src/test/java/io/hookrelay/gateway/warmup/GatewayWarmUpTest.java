package io.hookrelay.gateway.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.core.publisher.Mono;

/** The warm-up over real loopback HTTP, with a handler standing in for the gateway's own. */
class GatewayWarmUpTest {

    private final WarmUpTraffic traffic = new WarmUpTraffic();
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger receivedAsWarmUp = new AtomicInteger();
    private final AtomicInteger admitted = new AtomicInteger();
    private final Set<String> requestsSeen = ConcurrentHashMap.newKeySet();

    @Test
    void sendsEveryRequestThroughTheHandlerAsAnInvalidMessageCreationWithItsOwnCredential() {
        warmUp(answering(HttpStatus.UNPROCESSABLE_ENTITY), new WarmUpProperties(300, 8, Duration.ofSeconds(15)));

        assertThat(received).hasValue(300);
        assertThat(receivedAsWarmUp).as("every request is told apart as the warm-up's").hasValue(300);
        assertThat(admitted).as("and its credential admitted there").hasValue(300);
        assertThat(requestsSeen).containsExactly(
                "POST " + GatewayWarmUp.PATH + " Bearer " + traffic.credential() + " application/json body " + bodyLength());
    }

    @Test
    void namesAnApplicationNoIdOrUidCanBeAndSendsNoEventTypeSoNothingCanBeStored() {
        String application = GatewayWarmUp.PATH.split("/")[4];

        assertThat(application).hasSizeGreaterThan(256).matches("[a-zA-Z0-9._-]+");
        assertThat(new String(body())).startsWith("{\"eventType\":\"\",").doesNotContain("\"application\"");
    }

    @Test
    void stopsAtTheFirstAnswerThatIsNotTheValidationRefusalWhichGoesAlone() {
        warmUp(answering(HttpStatus.SERVICE_UNAVAILABLE), new WarmUpProperties(300, 8, Duration.ofSeconds(15)));

        assertThat(received).as("one failure for the circuit breaker, not one per request in flight").hasValue(1);
    }

    @Test
    void givesUpAfterItsTimeoutWhenNothingAnswers() {
        HttpHandler silent = (request, response) -> {
            received.incrementAndGet();
            return Mono.never();
        };

        assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                warmUp(silent, new WarmUpProperties(300, 4, Duration.ofSeconds(1))));
        assertThat(received.get()).as("the first request waits alone").isLessThanOrEqualTo(1);
    }

    @Test
    void doesNotRunWithNoRequests() {
        warmUp(answering(HttpStatus.UNPROCESSABLE_ENTITY), new WarmUpProperties(0, 8, Duration.ofSeconds(15)));

        assertThat(received).hasValue(0);
    }

    @Test
    void aRequestAfterTheWarmUpIsNotTakenForOne() {
        AtomicInteger port = new AtomicInteger();
        ServerHttpRequest[] last = new ServerHttpRequest[1];
        HttpHandler handler = (request, response) -> {
            last[0] = request;
            port.set(request.getLocalAddress().getPort());
            response.setStatusCode(HttpStatus.UNPROCESSABLE_ENTITY);
            return request.getBody().doOnNext(DataBufferUtils::release).then(response.setComplete());
        };

        warmUp(handler, new WarmUpProperties(1, 1, Duration.ofSeconds(15)));

        assertThat(port.get()).isPositive();
        assertThat(traffic.carries(last[0])).isFalse();
        assertThat(traffic.admits(last[0], traffic.credential())).as("nor its credential taken").isFalse();
    }

    private HttpHandler answering(HttpStatus status) {
        return (request, response) -> {
            received.incrementAndGet();
            if (traffic.carries(request)) {
                receivedAsWarmUp.incrementAndGet();
            }
            String authorization = request.getHeaders().getFirst("Authorization");
            if (authorization != null && traffic.admits(request, authorization.substring("Bearer ".length()))) {
                admitted.incrementAndGet();
            }
            var headers = request.getHeaders();
            return DataBufferUtils.join(request.getBody()).map(buffer -> {
                        int length = buffer.readableByteCount();
                        DataBufferUtils.release(buffer);
                        return length;
                    })
                    .defaultIfEmpty(0)
                    .flatMap(length -> {
                        requestsSeen.add(request.getMethod().name() + " " + request.getURI().getRawPath() + " "
                                + headers.getFirst("Authorization") + " " + headers.getFirst("Content-Type")
                                + " body " + length);
                        response.setStatusCode(status);
                        return response.setComplete();
                    });
        };
    }

    private void warmUp(HttpHandler handler, WarmUpProperties properties) {
        var warmUp = new GatewayWarmUp(handler, properties, traffic);
        warmUp.start();
        assertThat(warmUp.isRunning()).isTrue();
    }

    private static byte[] body() {
        return GatewayWarmUp.body();
    }

    private static int bodyLength() {
        return body().length;
    }
}
