package io.hookrelay.delivery.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class QuickRetryTest {

    private final QuickRetry quickRetry = new QuickRetry(new QuickRetry.Settings(3, Duration.ofMillis(10)));
    private final AtomicInteger sends = new AtomicInteger();

    @Test
    void retriesAConnectionErrorAndReturnsTheAnswerThatFollows() {
        var response = quickRetry.around(answers(
                new WebhookResponse.NoResponse("No response: Connection reset", Duration.ZERO),
                new WebhookResponse.Received(200, null, "ok", Duration.ZERO))).block();

        assertThat(response).isInstanceOf(WebhookResponse.Received.class);
        assertThat(sends).hasValue(2);
    }

    @Test
    void stopsAfterItsAttemptsAndReturnsTheLastFailure() {
        var response = quickRetry.around(answers(
                new WebhookResponse.NoResponse("No response: Connection refused", Duration.ZERO))).block();

        assertThat(response).isInstanceOfSatisfying(WebhookResponse.NoResponse.class,
                none -> assertThat(none.reason()).contains("Connection refused"));
        assertThat(sends).hasValue(3);
    }

    @Test
    void leavesTimeoutsAndErrorStatusesToTheDurableSchedule() {
        quickRetry.around(answers(new WebhookResponse.NoResponse("Timed out", Duration.ofSeconds(15)))).block();
        quickRetry.around(answers(new WebhookResponse.Received(503, null, "busy", Duration.ZERO))).block();

        assertThat(sends).hasValue(2);
    }

    /** A send that answers the given responses in turn, the last one for ever. */
    private Mono<WebhookResponse> answers(WebhookResponse... responses) {
        return Mono.fromSupplier(() -> responses[Math.min(sends.getAndIncrement(), responses.length - 1)]);
    }
}
