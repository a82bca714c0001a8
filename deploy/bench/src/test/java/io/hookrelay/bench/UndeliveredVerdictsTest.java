package io.hookrelay.bench;

import static io.hookrelay.bench.UndeliveredVerdicts.STATUS_FAILED;
import static io.hookrelay.bench.UndeliveredVerdicts.STATUS_PENDING;
import static io.hookrelay.bench.UndeliveredVerdicts.STATUS_SENDING;
import static io.hookrelay.bench.UndeliveredVerdicts.STATUS_SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.hookrelay.bench.FaultAnalysis.Undelivered;
import io.hookrelay.bench.UndeliveredVerdicts.EndpointLists;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UndeliveredVerdictsTest {

    private static final EndpointLists NOTHING_LISTED = new EndpointLists(Set.of(), Set.of(), Map.of());

    @Test
    void theListsDecideArrivedOwedAndFailedWithAnAnswerAndLeaveTheRestOpenPerEndpoint() {
        var first = new EndpointLists(Set.of("msg_owed"), Set.of("msg_gone", "msg_refused", "msg_no_attempt"),
                Map.of("msg_gone", 503, "msg_refused", 410));
        var second = NOTHING_LISTED;

        var result = UndeliveredVerdicts.fromLists(
                List.of("msg_arrived", "msg_owed", "msg_gone", "msg_refused", "msg_no_attempt", "msg_unlisted"),
                Set.of(FaultAnalysis.pair("msg_arrived", 0), FaultAnalysis.pair("msg_arrived", 1),
                        FaultAnalysis.pair("msg_owed", 1), FaultAnalysis.pair("msg_gone", 1),
                        FaultAnalysis.pair("msg_refused", 1), FaultAnalysis.pair("msg_no_attempt", 1)),
                List.of(first, second));

        assertThat(result.verdicts()).containsOnly(
                entry(FaultAnalysis.pair("msg_owed", 0), Undelivered.OWED),
                // retries ran out on a retryable answer: the platform gave up on what it had to deliver
                entry(FaultAnalysis.pair("msg_gone", 0), Undelivered.LOST),
                entry(FaultAnalysis.pair("msg_refused", 0), Undelivered.NOT_RETRIED));
        // in the failed list without a failed attempt, and in no list at all: asked about, in send order
        assertThat(result.unlistedByMessage()).containsExactly(
                entry("msg_no_attempt", List.of(0)), entry("msg_unlisted", List.of(0, 1)));
    }

    @Test
    void inBulkOnlyAMessageThePlatformKnowsAndHasNeitherDeliveredNorFailedIsOwed() {
        assertThat(UndeliveredVerdicts.fromBulkLists(true, false, false)).as("still in the outbox or on Kafka")
                .isEqualTo(Undelivered.OWED);
        assertThat(UndeliveredVerdicts.fromBulkLists(true, true, false)).as("delivered by the platform's account only")
                .isEqualTo(Undelivered.LOST);
        assertThat(UndeliveredVerdicts.fromBulkLists(true, false, true)).as("failed without a failed attempt")
                .isEqualTo(Undelivered.LOST);
        assertThat(UndeliveredVerdicts.fromBulkLists(false, false, false)).as("unknown to the platform")
                .isEqualTo(Undelivered.LOST);
    }

    @Test
    void aLookedUpMessageIsOwedWhileThePlatformHoldsItAndNotRetriedOnlyOnARefusingLastAnswer() {
        var asked = new AtomicInteger();

        assertThat(UndeliveredVerdicts.fromLookUp(true, null, () -> counted(asked))).as("no status yet").isEqualTo(Undelivered.OWED);
        assertThat(UndeliveredVerdicts.fromLookUp(true, STATUS_PENDING, () -> counted(asked))).isEqualTo(Undelivered.OWED);
        assertThat(UndeliveredVerdicts.fromLookUp(true, STATUS_SENDING, () -> counted(asked))).isEqualTo(Undelivered.OWED);
        assertThat(UndeliveredVerdicts.fromLookUp(true, STATUS_SUCCESS, () -> counted(asked))).as("delivered by its account only")
                .isEqualTo(Undelivered.LOST);
        assertThat(UndeliveredVerdicts.fromLookUp(false, null, () -> counted(asked))).as("unknown").isEqualTo(Undelivered.LOST);
        assertThat(asked).as("the attempt list is asked only about a failure").hasValue(0);

        assertThat(UndeliveredVerdicts.fromLookUp(true, STATUS_FAILED, () -> true)).isEqualTo(Undelivered.NOT_RETRIED);
        assertThat(UndeliveredVerdicts.fromLookUp(true, STATUS_FAILED, () -> false)).as("retries ran out")
                .isEqualTo(Undelivered.LOST);
    }

    @Test
    void onlyTheAnswersTheContractDoesNotRetryMakeAFailureNotALoss() {
        for (int status : new int[] {301, 307, 308, 400, 404, 410, 413}) {
            assertThat(UndeliveredVerdicts.notRetried(status)).as("HTTP %d", status).isTrue();
        }
        // retryable answers (and none at all): a failure means the retries ran out, a loss
        for (int status : new int[] {0, 200, 408, 425, 429, 500, 502, 503, 504}) {
            assertThat(UndeliveredVerdicts.notRetried(status)).as("HTTP %d", status).isFalse();
        }
    }

    private static boolean counted(AtomicInteger asked) {
        asked.incrementAndGet();
        return true;
    }
}
