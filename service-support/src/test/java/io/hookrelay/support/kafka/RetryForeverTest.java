package io.hookrelay.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.util.backoff.BackOffExecution;

class RetryForeverTest {

    @Test
    void neverGivesUpAndBacksOffFromHalfASecondToThirtySeconds() {
        BackOffExecution execution = RetryForever.backOff().start();
        List<Long> waits = new ArrayList<>();

        for (int i = 0; i < 10_000; i++) {
            waits.add(execution.nextBackOff());
        }

        assertThat(waits).doesNotContain(BackOffExecution.STOP);
        assertThat(waits.getFirst()).isEqualTo(500);
        assertThat(waits).allSatisfy(wait -> assertThat(wait).isBetween(500L, 30_000L));
        assertThat(waits.getLast()).isEqualTo(30_000);
    }
}
