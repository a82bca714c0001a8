package io.hookrelay.delivery.attempt;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.delivery.retry.PendingDelivery;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InterruptedAttemptsTest {

    private static final Instant CLAIMED = Instant.parse("2026-11-30T09:00:00.123456Z");
    private static final Instant LEASE_END = CLAIMED.plusSeconds(60);

    @Test
    void aClaimThatRanOutWithoutAnOutcomeIsAnAttemptOfUnknownOutcome() {
        var claimed = row(PendingDelivery.State.SCHEDULED, "retryable", CLAIMED);

        var attempt = InterruptedAttempts.of(claimed, "https://example.test/hook", "atmpt_1").orElseThrow();

        assertThat(attempt.status()).as("not known to have succeeded").isEqualTo(Attempt.FAIL);
        assertThat(attempt.responseStatusCode()).isZero();
        assertThat(attempt.response()).startsWith("Outcome unknown").contains("may have reached the endpoint");
        assertThat(attempt.outcome()).isEqualTo("interrupted");
        assertThat(attempt.timestamp()).isEqualTo(Instant.parse("2026-11-30T09:00:00.123Z"));
        assertThat(attempt.triggerType()).isEqualTo(Attempt.SCHEDULED);
        assertThat(attempt).extracting(Attempt::id, Attempt::appId, Attempt::msgId, Attempt::endpointId, Attempt::url)
                .containsExactly("atmpt_1", "app_1", "msg_1", "ep_1", "https://example.test/hook");
    }

    @Test
    void aCutShortResendIsAManualAttempt() {
        var claimed = row(PendingDelivery.State.SCHEDULED, "resend", CLAIMED);

        var attempt = InterruptedAttempts.of(claimed, "https://example.test/hook", "atmpt_1").orElseThrow();

        assertThat(attempt.triggerType()).isEqualTo(Attempt.MANUAL);
    }

    @Test
    void aRowWhosePreviousClaimEndedWithAnOutcomeOrADeferralIsNoInterruptedAttempt() {
        var claimed = row(PendingDelivery.State.SCHEDULED, "deferred", null);

        assertThat(InterruptedAttempts.of(claimed, "https://example.test/hook", "atmpt_1")).isEmpty();
    }

    @Test
    void aDeadRowWaitingForItsDeadLetterIsNoInterruptedAttempt() {
        var claimed = row(PendingDelivery.State.DEAD, "failed", CLAIMED);

        assertThat(InterruptedAttempts.of(claimed, "https://example.test/hook", "atmpt_1")).isEmpty();
    }

    private static PendingDelivery row(PendingDelivery.State state, String lastOutcome, Instant interruptedClaim) {
        return new PendingDelivery("msg_1", "ep_1", "app_1", 1, state, LEASE_END, lastOutcome, "", interruptedClaim);
    }
}
