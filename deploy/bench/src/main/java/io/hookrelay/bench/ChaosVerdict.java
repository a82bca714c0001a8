package io.hookrelay.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether the campaign saw every promise of docs/reliability.md kept, and if not, which ones were
 * broken; bin/chaos's exit status follows it, so a CI job or an operator's script can tell a
 * broken promise from a run that could not be judged at all.
 *
 * @param brokenPromises one line per promise broken, with its count; empty when every one held
 */
record ChaosVerdict(boolean passed, List<String> brokenPromises) {

    /**
     * bin/chaos's exit status when the campaign ran and broke a promise. 1 and 2 already mean,
     * for bin/bench as for bin/chaos, "the run failed" and "a wrong command line" (see
     * {@link Bench#launch}); a third value keeps "the platform is broken" apart from both.
     */
    static final int PROMISE_BROKEN = 3;

    ChaosVerdict {
        brokenPromises = List.copyOf(brokenPromises);
        if (passed != brokenPromises.isEmpty()) {
            throw new IllegalArgumentException("passed must mean no promise broken: " + brokenPromises);
        }
    }

    /**
     * Judges a campaign by its figures.
     *
     * @param hang the answer time above which a request counts as a hang (--hang-ms)
     */
    static ChaosVerdict of(List<ChaosReport.FaultResult> faults, ChaosReport.Totals totals, Duration hang) {
        List<String> broken = new ArrayList<>();
        brokenIf(broken, totals.lost(), "deliveries lost (accepted, never delivered and not owed): %d");
        brokenIf(broken, totals.otherServerErrors(), "answers 5xx other than 503: %d");
        brokenIf(broken, totals.unavailableWithoutRetryAfter(), "503s without Retry-After: %d");
        brokenIf(broken, totals.hangsFromTheFirstFault(),
                "answers slower than " + hang.toMillis() + " ms, or none at all, besides those late before the first fault: %d");
        brokenIf(broken, totals.badSignatures(), "deliveries with a bad signature: %d");
        for (var fault : faults) {
            List<String> unexpected = unexpectedAnswers(fault);
            if (!unexpected.isEmpty()) {
                broken.add("'" + fault.fault() + "': clients saw " + String.join(", ", unexpected));
            }
            if (fault.acceptRecoverySeconds() == null || fault.deliveryRecoverySeconds() == null) {
                String missing = fault.acceptRecoverySeconds() == null ? "accepted" : "delivered to every healthy endpoint";
                broken.add("'" + fault.fault() + "': not recovered from (no message sent after it was " + missing + ")");
            }
            if (fault.fault().startsWith(Fault.Misbehave.PREFIX) && fault.hostileRecoverySeconds() == null) {
                broken.add("'" + fault.fault() + "': the misbehaving endpoint took no delivery after it");
            }
        }
        return new ChaosVerdict(broken.isEmpty(), broken);
    }

    /** 0 when every promise held; {@link #PROMISE_BROKEN} otherwise. */
    int exitStatus() {
        return passed ? Bench.EXIT_COMPLETED : PROMISE_BROKEN;
    }

    /** The verdict line of report.txt. */
    String describe() {
        return passed
                ? "PASSED: every promise held (nothing lost, no 5xx but 503s with Retry-After, no hang besides the"
                        + " warm-up's, every fault recovered from by itself)"
                : "FAILED: " + String.join("; ", brokenPromises);
    }

    private static void brokenIf(List<String> broken, long count, String format) {
        if (count > 0) {
            broken.add(String.format(format, count));
        }
    }

    /**
     * What a client must not see within a fault: anything but 202 and 503 — except that while the
     * gateway itself is down a connection is refused or cut (nothing listens; a request in flight
     * dies with it), also for a request sent in the fault before the gateway's kill. 5xx and 503s without Retry-After are counted above; a time-out is a hang.
     */
    private static List<String> unexpectedAnswers(ChaosReport.FaultResult fault) {
        boolean gatewayDown = fault.fault().contains(PlatformProcesses.GATEWAY);
        List<String> unexpected = new ArrayList<>();
        for (Map.Entry<String, Integer> status : fault.statuses().entrySet()) {
            String label = status.getKey();
            boolean expected = label.equals("202") || label.equals("503") || label.startsWith("5")
                    || label.startsWith(FaultAnalysis.GATEWAY_DOWN)
                    || (gatewayDown && label.startsWith("no answer: "));
            if (!expected) {
                unexpected.add(status.getValue() + " × " + label);
            }
        }
        return unexpected;
    }
}
