package io.hookrelay.ingest.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import reactor.core.publisher.Mono;

class DetachableResponseTest {

    final MockServerHttpResponse real = new MockServerHttpResponse();
    final DetachableResponse response = new DetachableResponse(real);

    @Test
    void theAcceptPathsAnswerReachesTheClientWithItsStatusHeadersAndCommitActions() {
        var committed = new AtomicInteger();
        response.setStatusCode(HttpStatus.ACCEPTED);
        response.getHeaders().set("idempotent-replayed", "true");
        response.beforeCommit(() -> Mono.fromRunnable(committed::incrementAndGet));

        response.writeWith(body("{\"id\":\"msg_1\"}")).block();

        assertThat(real.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(real.getHeaders().getFirst("idempotent-replayed")).isEqualTo("true");
        assertThat(real.getBodyAsString().block()).isEqualTo("{\"id\":\"msg_1\"}");
        assertThat(committed).hasValue(1);
        assertThat(response.detach()).as("too late for the deadline").isFalse();
    }

    @Test
    void afterTheDeadlineTheAcceptPathsAnswerReachesNobodyAndTouchesNothing() {
        var committed = new AtomicInteger();
        assertThat(response.detach()).isTrue();

        response.setStatusCode(HttpStatus.ACCEPTED);
        response.getHeaders().set("Content-Type", "application/json");
        response.beforeCommit(() -> Mono.fromRunnable(committed::incrementAndGet));
        response.writeWith(body("{\"id\":\"msg_1\"}")).block();

        assertThat(response.attach()).isFalse();
        assertThat(real.getStatusCode()).isNull();
        assertThat(real.getHeaders().isEmpty()).isTrue();
        assertThat(real.isCommitted()).isFalse();
        assertThat(committed).hasValue(0);
    }

    private static Mono<org.springframework.core.io.buffer.DataBuffer> body(String text) {
        return Mono.just(DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }
}
