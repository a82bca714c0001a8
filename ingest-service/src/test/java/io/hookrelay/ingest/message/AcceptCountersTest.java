package io.hookrelay.ingest.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

class AcceptCountersTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AcceptCounters counters = new AcceptCounters(meters);

    @Test
    void countsTheStatusTheAnswerIsCommittedWith() {
        answer(HttpStatus.ACCEPTED);
        answer(HttpStatus.ACCEPTED);
        answer(HttpStatus.UNPROCESSABLE_ENTITY);
        answer(HttpStatus.CONTENT_TOO_LARGE);
        answer(HttpStatus.NOT_FOUND);
        answer(HttpStatus.SERVICE_UNAVAILABLE);
        answer(HttpStatus.CONFLICT);

        assertThat(meters.get("hookrelay.messages.accepted").counter().count()).isEqualTo(2);
        for (String reason : new String[] {"invalid", "too_large", "not_found", "unavailable", "other"}) {
            assertThat(meters.get("hookrelay.messages.refused").tag("reason", reason).counter().count())
                    .as(reason).isEqualTo(1);
        }
    }

    /** The status is set after the chain ran, as the error handler does, then the answer is committed. */
    private void answer(HttpStatus status) {
        MockServerWebExchange exchange = post("/api/v1/app/acme/msg");
        counters.filter(exchange, chained -> Mono.fromRunnable(() -> chained.getResponse().setStatusCode(status)))
                .then(exchange.getResponse().setComplete())
                .block();
    }

    private static MockServerWebExchange post(String path) {
        return MockServerWebExchange.from(MockServerHttpRequest.post(path));
    }
}
