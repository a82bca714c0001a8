package io.hookrelay.bench;

import java.util.List;
import java.util.Map;

/** What bin/chaos writes to report.json (and, rendered, report.txt). */
record ChaosReport(
        Environment environment,
        Map<String, Object> settings,
        FaultResult beforeTheFirstFault,
        List<FaultResult> faults,
        Totals totals,
        ChaosVerdict verdict,
        List<String> notes) {

    record Environment(String command, String gitCommit, String java, int processors, String startedAt,
            String loadAverageBefore, String loadAverageAfter, String target, String outputDirectory, double seconds) {}

    /**
     * One fault: the requests scheduled from its start until the next fault's start.
     *
     * @param statuses what clients saw, by status or "no answer: why"
     * @param slowestAnswerMillis -1 when a request never got an answer at all
     * @param hangs answers slower than the campaign's hang bound (or none at all)
     * @param hangsBySecond those hangs by the second of the fault in which their request was due
     *     (0: its first second), so a reader sees when in the fault clients waited
     * @param hangsMaxSendLagMillis the most any of those requests went out after it was due: the
     *     part of a hang the load generator itself caused (0 without hangs)
     * @param acceptRecoverySeconds from the fault's end to the first 202 of a request sent after it
     * @param deliveryRecoverySeconds from the fault's end to the first delivery, at a healthy endpoint, of a message sent after it
     * @param hostileRecoverySeconds from the fault's end to the first delivery the misbehaving endpoint took after it
     * @param healthyLatency end-to-end latency at the healthy endpoints of the messages sent during the fault
     * @param backlogDeliveredSeconds from the fault's start until the last of those deliveries: when
     *     the fault's backlog was worked off (null while one of them is owed or lost, or there were none)
     * @param nextFaultSeconds from the fault's start until the next fault's (null for the last)
     * @param backlogMetTheNextFault those deliveries were still owed, or ended more than the hang
     *     bound after the next fault began: the latency row includes that fault too
     */
    record FaultResult(String fault, double faultSeconds, long requests, long accepted, Map<String, Integer> statuses,
            long unavailableWithRetryAfter, long unavailableWithoutRetryAfter, long otherServerErrors,
            double slowestAnswerMillis, long hangs, Map<Long, Integer> hangsBySecond, double hangsMaxSendLagMillis,
            long expectedDeliveries, long delivered, long duplicates, long owed,
            long notRetried, long lost, Double acceptRecoverySeconds, Double deliveryRecoverySeconds, Double hostileRecoverySeconds,
            Latency healthyLatency, Double backlogDeliveredSeconds, Double nextFaultSeconds, boolean backlogMetTheNextFault) {}

    /**
     * @param deliveredWithoutAcceptance deliveries of messages whose client got no 202 (a 503 "may
     *     have been accepted" or a time-out): the client's retry with the same idempotency-key finds them
     * @param hangs answers slower than the hang bound, or none at all, over the whole run
     * @param hangsBeforeTheFirstFault those of them that were late already when the first fault
     *     began: the platform's first seconds under load after its start, which the verdict does not
     *     judge (ADR 0035); 0 when no fault was injected
     */
    record Totals(long requests, long accepted, long expectedDeliveries, long delivered, long duplicates, long owed,
            long notRetried, long lost, long deliveredWithoutAcceptance, long badSignatures, long otherServerErrors,
            long unavailableWithoutRetryAfter, long hangs, long hangsBeforeTheFirstFault,
            Map<String, Integer> clientErrors) {

        /** The hangs the verdict judges: all but those already late when the first fault began. */
        long hangsFromTheFirstFault() {
            return hangs - hangsBeforeTheFirstFault;
        }
    }
}
