package io.hookrelay.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FaultAnalysisTest {

    static final long MS = 1_000_000;
    static final long S = 1_000_000_000;
    static final Fault FREEZE = new Fault.Freeze(List.of(PlatformProcesses.POSTGRES), Duration.ofSeconds(10));

    @Test
    void sortsEveryAcceptedDeliveryIntoDeliveredOwedNotRetriedOrLost() {
        var sent = new SentMessages(4);
        accept(sent, 0, 11 * S, "msg_0");
        accept(sent, 1, 12 * S, "msg_1");
        accept(sent, 2, 13 * S, "msg_2");
        accept(sent, 3, 14 * S, "msg_3");
        Map<String, Long> arrivals = Map.of(pair("msg_0", 0), 14 * S, pair("msg_0", 1), 14 * S, pair("msg_1", 0), 14 * S,
                pair("msg_2", 0), 14 * S, pair("msg_3", 0), 15 * S);
        var undelivered = Map.of(pair("msg_1", 1), FaultAnalysis.Undelivered.OWED,
                pair("msg_3", 1), FaultAnalysis.Undelivered.NOT_RETRIED);

        var result = analysis(sent, arrivals, undelivered).analyse(span(10 * S, 20 * S, 30 * S, 4));

        assertThat(result.accepted()).isEqualTo(4);
        assertThat(result.expectedDeliveries()).isEqualTo(8);
        assertThat(result.delivered()).isEqualTo(5);
        assertThat(result.owed()).isEqualTo(1);
        assertThat(result.notRetried()).as("the receiver refused it for good: not a loss").isEqualTo(1);
        // msg_2 at endpoint 1: neither arrived nor owed (no verdict at all counts as lost, never as owed)
        assertThat(result.lost()).isEqualTo(1);
        assertThat(result.duplicates()).isEqualTo(4);
    }

    @Test
    void countsOnlyTheRequestsFromTheFaultsStartToTheNextFault() {
        var sent = new SentMessages(3);
        accept(sent, 0, 9 * S, "msg_before");
        accept(sent, 1, 15 * S, "msg_during");
        accept(sent, 2, 30 * S, "msg_next_fault");

        var result = analysis(sent, Map.of(), Map.of()).analyse(span(10 * S, 20 * S, 30 * S, 0));

        assertThat(result.requests()).isEqualTo(1);
        assertThat(result.lost()).isEqualTo(2);
    }

    @Test
    void tellsRetryAfter503sFromOtherServerErrorsHangsAndRequestsWithoutAnswer() {
        var sent = new SentMessages(5);
        for (int i = 0; i < 5; i++) {
            sent.sending(i, 11 * S, 11 * S);
        }
        sent.answered(0, 503, null, 11 * S + 2 * S, true);
        sent.answered(1, 503, null, 11 * S + 100 * MS, false);
        sent.answered(2, 500, null, 11 * S + 100 * MS, false);
        sent.answered(3, 202, "msg_3", 11 * S + 6 * S, false);
        sent.failed(4, new ConnectException("Connection refused"), 11 * S + MS);

        var result = analysis(sent, Map.of(pair("msg_3", 0), 18 * S, pair("msg_3", 1), 18 * S), Map.of())
                .analyse(span(10 * S, 20 * S, 30 * S, 0));

        assertThat(result.unavailableWithRetryAfter()).isEqualTo(1);
        assertThat(result.unavailableWithoutRetryAfter()).isEqualTo(1);
        assertThat(result.otherServerErrors()).isEqualTo(1);
        assertThat(result.hangs()).isEqualTo(1);
        assertThat(result.slowestAnswerMillis()).isCloseTo(6000, within(0.5));
        assertThat(result.statuses()).containsEntry("503", 1).containsEntry("503 without Retry-After", 1)
                .containsEntry("500", 1).containsEntry("202", 1).containsEntry("no answer: ConnectException", 1);
    }

    @Test
    void saysInWhichSecondOfTheFaultTheHangsWereDueAndHowLateTheClientSentThem() {
        var sent = new SentMessages(4);
        sent.sending(0, 10 * S + 200 * MS, 10 * S + 200 * MS);
        sent.answered(0, 202, "msg_0", 17 * S, false);
        sent.sending(1, 13 * S + 100 * MS, 13 * S + 400 * MS);
        sent.answered(1, 503, null, 19 * S, true);
        sent.sending(2, 13 * S + 900 * MS, 13 * S + 900 * MS);
        sent.failed(2, new ConnectException("Connection refused"), 50 * S);
        sent.sending(3, 14 * S, 14 * S);
        sent.answered(3, 202, "msg_3", 14 * S + 100 * MS, false);

        var result = analysis(sent, Map.of(), Map.of()).analyse(span(10 * S, 20 * S, 30 * S, 0));

        assertThat(result.hangs()).isEqualTo(3);
        assertThat(result.hangsBySecond()).as("by the second of the fault each hung request was due; the fast one is not there")
                .containsExactly(Map.entry(0L, 1), Map.entry(3L, 2));
        assertThat(result.hangsMaxSendLagMillis()).as("the one sent 300 ms after it was due").isCloseTo(300, within(0.5));
    }

    @Test
    void aRequestThatDiedWithTheGatewayIsPutDownToItsKillWhicheverWindowItWasSentIn() {
        var sent = new SentMessages(5);
        // sent in the window before the kill (at 19 s), cut when the gateway was killed (at 20 s)
        sent.sending(0, 19 * S, 19 * S);
        sent.failed(0, new IOException("PrematureCloseException"), 20 * S + 30 * MS);
        accept(sent, 1, 24 * S, "msg_back"); // the gateway accepts again at 24 s
        // sent just after the kill was issued, answered by the old gateway as it died: not "accepting
        // again"; the first refused connection says it is gone
        sent.sending(3, 20 * S + MS, 20 * S + MS);
        sent.answered(3, 202, "msg_last_of_the_old_one", 20 * S + 2 * MS, false);
        sent.sending(4, 20 * S + 40 * MS, 20 * S + 40 * MS);
        sent.failed(4, new ConnectException("Connection refused"), 20 * S + 41 * MS);
        // cut later, with the gateway up again: not the kill's doing
        sent.sending(2, 19 * S, 19 * S);
        sent.failed(2, new IOException("PrematureCloseException"), 26 * S);

        var result = new FaultAnalysis(sent, 5, Map.of(), Map.of(), 2, Set.of(0, 1), Duration.ofSeconds(5), List.of(20 * S))
                .analyse(span(10 * S, 15 * S, 20 * S, 0));

        assertThat(result.statuses())
                .containsEntry(FaultAnalysis.GATEWAY_DOWN + "IOException", 1)
                .containsEntry("no answer: IOException", 1);
    }

    @Test
    void measuresRecoveryFromTheFaultsEndWithMessagesSentAfterIt() {
        var sent = new SentMessages(3);
        accept(sent, 0, 15 * S, "msg_during");
        sent.sending(1, 21 * S, 21 * S);
        sent.answered(1, 503, null, 21 * S + MS, true);
        accept(sent, 2, 22 * S, "msg_after");
        Map<String, Long> arrivals = Map.of(pair("msg_during", 0), 20 * S + 500 * MS, pair("msg_during", 1), 21 * S,
                pair("msg_during", 2), 26 * S, pair("msg_after", 0), 23 * S, pair("msg_after", 1), 24 * S,
                pair("msg_after", 2), 25 * S);

        var result = new FaultAnalysis(sent, 3, arrivals, Map.of(), 3, Set.of(0, 1), Duration.ofSeconds(5))
                .analyse(span(10 * S, 20 * S, 30 * S, 0));

        assertThat(result.acceptRecoverySeconds()).isCloseTo(2.01, within(0.001));
        assertThat(result.deliveryRecoverySeconds()).isCloseTo(3.0, within(0.001));
        assertThat(result.hostileRecoverySeconds()).isCloseTo(5.0, within(0.001));
        // only the message sent while the fault lasted, at the two healthy endpoints
        assertThat(result.healthyLatency().count()).isEqualTo(2);
        assertThat(result.healthyLatency().max()).isCloseTo(6000, within(10.0));
    }

    @Test
    void saysWhenTheMessagesSentDuringTheFaultWereAllDeliveredAndWhetherTheNextFaultMetThem() {
        var sent = new SentMessages(2);
        accept(sent, 0, 12 * S, "msg_early");
        accept(sent, 1, 18 * S, "msg_late");
        Map<String, Long> arrivals = Map.of(pair("msg_early", 0), 13 * S, pair("msg_early", 1), 13 * S,
                pair("msg_late", 0), 26 * S, pair("msg_late", 1), 36 * S);

        var met = analysis(sent, arrivals, Map.of()).analyse(span(10 * S, 20 * S, 30 * S, 0));
        // 36 s is after the next fault's start (33 s) by less than the hang bound (5 s): a normal delivery
        var justAfter = analysis(sent, arrivals, Map.of()).analyse(span(10 * S, 20 * S, 33 * S, 0));
        var workedOff = analysis(sent, arrivals, Map.of()).analyse(span(10 * S, 20 * S, 40 * S, 0));
        var last = analysis(sent, arrivals, Map.of()).analyse(span(10 * S, 20 * S, Long.MAX_VALUE, 0));

        assertThat(met.backlogDeliveredSeconds()).isCloseTo(26.0, within(1e-9));
        assertThat(met.nextFaultSeconds()).isCloseTo(20.0, within(1e-9));
        assertThat(met.backlogMetTheNextFault()).isTrue();
        assertThat(justAfter.backlogMetTheNextFault()).isFalse();
        assertThat(workedOff.backlogMetTheNextFault()).isFalse();
        assertThat(last.nextFaultSeconds()).isNull();
        assertThat(last.backlogMetTheNextFault()).isFalse();
    }

    @Test
    void aFaultsBacklogIsNotWorkedOffWhileOneOfItsHealthyDeliveriesIsOwedOrLost() {
        var sent = new SentMessages(2);
        accept(sent, 0, 12 * S, "msg_owed");
        accept(sent, 1, 13 * S, "msg_lost");
        Map<String, Long> arrivals = Map.of(pair("msg_owed", 0), 14 * S, pair("msg_lost", 0), 14 * S);

        var owed = analysis(sent, arrivals, Map.of(pair("msg_owed", 1), FaultAnalysis.Undelivered.OWED,
                pair("msg_lost", 1), FaultAnalysis.Undelivered.OWED)).analyse(span(10 * S, 20 * S, 30 * S, 0));
        var lost = analysis(sent, arrivals, Map.of(pair("msg_owed", 1), FaultAnalysis.Undelivered.OWED))
                .analyse(span(10 * S, 20 * S, 30 * S, 0));
        // the misbehaving endpoint's delivery owed: not the healthy endpoints' backlog
        var hostileOwed = new FaultAnalysis(sent, 2, Map.of(pair("msg_owed", 0), 14 * S, pair("msg_owed", 1), 15 * S,
                pair("msg_lost", 0), 14 * S, pair("msg_lost", 1), 16 * S), Map.of(pair("msg_owed", 2),
                FaultAnalysis.Undelivered.OWED), 3, Set.of(0, 1), Duration.ofSeconds(5)).analyse(span(10 * S, 20 * S, 30 * S, 0));

        assertThat(owed.backlogDeliveredSeconds()).isNull();
        assertThat(owed.backlogMetTheNextFault()).as("still owed: the next fault met it").isTrue();
        assertThat(lost.backlogDeliveredSeconds()).isNull();
        assertThat(hostileOwed.backlogDeliveredSeconds()).isCloseTo(6.0, within(1e-9));
    }

    @Test
    void beforeTheFirstFaultCountsTheRequestsSentBeforeItAndTheHangsThatWereLateBeforeItBegan() {
        var sent = new SentMessages(5);
        accept(sent, 0, 1 * S, "msg_cold");
        sent.sending(1, 2 * S, 2 * S);
        sent.answered(1, 202, "msg_slow", 2 * S + 7 * S, false); // 5 s ran out at 7 s, before the fault
        sent.sending(2, 3 * S, 3 * S); // never answered: late from 8 s on
        sent.sending(3, 6 * S, 6 * S);
        sent.answered(3, 202, "msg_caught", 6 * S + 6 * S, false); // within its 5 s when the fault began at 10 s
        sent.sending(4, 10 * S, 10 * S);
        sent.answered(4, 202, "msg_during_the_fault", 10 * S + 8 * S, false);
        Map<String, Long> arrivals = Map.of(pair("msg_cold", 0), 2 * S, pair("msg_cold", 1), 2 * S,
                pair("msg_slow", 0), 10 * S, pair("msg_slow", 1), 10 * S, pair("msg_caught", 0), 13 * S,
                pair("msg_caught", 1), 13 * S);
        var analysis = analysis(sent, arrivals, Map.of());

        var result = analysis.beforeTheFirstFault(1 * S, 10 * S, 10 * S, 3);

        assertThat(result.fault()).isEqualTo(FaultAnalysis.WARM_UP);
        assertThat(result.faultSeconds()).isCloseTo(9.0, within(1e-9));
        assertThat(result.requests()).isEqualTo(4);
        assertThat(result.accepted()).isEqualTo(3);
        assertThat(result.hangs()).as("the 7 s answer and the one never answered; not the one the fault may have slowed")
                .isEqualTo(2);
        assertThat(result.delivered()).isEqualTo(6);
        assertThat(result.lost()).isZero();
        assertThat(result.duplicates()).isEqualTo(3);
        assertThat(analysis.wholeRun(0).hangs()).as("every slow answer of the run").isEqualTo(4);
    }

    @Test
    void withNoFaultNoHangIsPutDownToTheWarmUp() {
        var sent = new SentMessages(1);
        sent.sending(0, 2 * S, 2 * S);
        sent.answered(0, 202, "msg_slow", 2 * S + 7 * S, false);

        var result = analysis(sent, Map.of(), Map.of()).beforeTheFirstFault(1 * S, 3 * S, Long.MIN_VALUE, 0);

        assertThat(result.requests()).isEqualTo(1);
        assertThat(result.hangs()).isZero();
    }

    @Test
    void reportsNoRecoveryWhenNothingSentAfterTheFaultWasAccepted() {
        var sent = new SentMessages(1);
        sent.sending(0, 21 * S, 21 * S);
        sent.answered(0, 503, null, 21 * S + MS, true);

        var result = analysis(sent, Map.of(), Map.of()).analyse(span(10 * S, 20 * S, 30 * S, 0));

        assertThat(result.acceptRecoverySeconds()).isNull();
        assertThat(result.deliveryRecoverySeconds()).isNull();
    }

    @Test
    void putsANoAnswerDownToTheWarmUpOnlyIfItsRequestWasLateBeforeTheFirstFault() {
        var sent = new SentMessages(4);
        // hang bound 5 s, first fault at 40 s: late by then only if scheduled before 35 s
        sent.sending(0, 11 * S, 11 * S);
        sent.failed(0, new IOException("read timed out"), 41 * S);
        sent.sending(1, 36 * S, 36 * S);
        sent.failed(1, new IOException("connection reset"), 41 * S);
        sent.sending(2, 50 * S, 50 * S);
        sent.failed(2, new IOException("connection reset"), 51 * S);
        accept(sent, 3, 52 * S, "msg_3");

        List<String> notes = analysis(sent, Map.of(), Map.of()).noAnswerWhileTheGatewayWasUp(0, 40 * S, 10);

        assertThat(notes).hasSize(3);
        assertThat(notes.get(0)).startsWith(FaultAnalysis.NOT_JUDGED).contains("scheduled +11.000 s, failed +41.000 s");
        assertThat(notes.get(1)).as("still within the bound when the fault began: the fault's").doesNotStartWith(
                FaultAnalysis.NOT_JUDGED).contains("scheduled +36.000 s");
        assertThat(notes.get(2)).doesNotStartWith(FaultAnalysis.NOT_JUDGED).contains("(the gateway: never killed)");
        assertThat(analysis(sent, Map.of(), Map.of()).noAnswerWhileTheGatewayWasUp(0, Long.MIN_VALUE, 10))
                .as("no fault injected: every one is judged").noneMatch(note -> note.startsWith(FaultAnalysis.NOT_JUDGED));
    }

    private static void accept(SentMessages sent, int index, long at, String id) {
        sent.sending(index, at, at);
        sent.answered(index, 202, id, at + 10 * MS, false);
    }

    private static FaultAnalysis analysis(SentMessages sent, Map<String, Long> arrivals,
            Map<String, FaultAnalysis.Undelivered> undelivered) {
        return new FaultAnalysis(sent, sent.capacity(), arrivals, undelivered, 2, Set.of(0, 1), Duration.ofSeconds(5));
    }

    private static FaultAnalysis.Span span(long start, long end, long segmentEnd, long duplicates) {
        return new FaultAnalysis.Span(FREEZE, new FaultInjector.Window(start, end), segmentEnd, duplicates);
    }

    private static String pair(String id, int endpoint) {
        return FaultAnalysis.pair(id, endpoint);
    }
}
