package io.hookrelay.bench;

import java.util.Locale;

/** The campaign's report as text: one block per fault, then the totals and the verdict. */
final class ChaosTextReport {

    private final StringBuilder out = new StringBuilder();

    static String render(ChaosReport report) {
        return new ChaosTextReport().write(report).out.toString();
    }

    private ChaosTextReport write(ChaosReport report) {
        var env = report.environment();
        line("HookRelay fault campaign (bin/chaos)");
        line("  command:     %s", env.command());
        line("  commit:      %s", env.gitCommit());
        line("  JDK:         %s; CPUs: %d", env.java(), env.processors());
        line("  started:     %s; %.0f s; target: %s", env.startedAt(), env.seconds(), env.target());
        line("  load avg:    before %s; after %s", env.loadAverageBefore(), env.loadAverageAfter());
        line("  settings:    %s", report.settings());
        line("  output:      %s", env.outputDirectory());
        line("");
        beforeTheFirstFault(report.beforeTheFirstFault());
        for (var fault : report.faults()) {
            fault(fault);
        }
        var t = report.totals();
        line("== totals");
        line("  %d requests, %d accepted (202); deliveries %d of %d, duplicates %d, still owed %d, %sLOST %d",
                t.requests(), t.accepted(), t.delivered(), t.expectedDeliveries(), t.duplicates(), t.owed(),
                notRetried(t.notRetried()), t.lost());
        line("  delivered although the client got no 202 (a 503 \"may have been accepted\" or no answer): %d messages",
                t.deliveredWithoutAcceptance());
        line("  5xx other than 503: %d; 503 without Retry-After: %d; hangs: %d (%d of them before the first fault,"
                        + " not judged); bad signatures: %d; client-side errors: %s",
                t.otherServerErrors(), t.unavailableWithoutRetryAfter(), t.hangs(), t.hangsBeforeTheFirstFault(),
                t.badSignatures(), t.clientErrors().isEmpty() ? "none" : t.clientErrors());
        line("");
        line("Verdict: %s", report.verdict().describe());
        for (String note : report.notes()) {
            line("Note: %s", note);
        }
        return this;
    }

    /**
     * The load before the first fault: the platform's first seconds under load after its start.
     * Its slow answers that were late before the first fault began (a cold JIT) are reported, not
     * judged (ADR 0035); those the fault may have made slow count in the totals.
     */
    private void beforeTheFirstFault(ChaosReport.FaultResult f) {
        line("== %s (%.1f s of load: the platform's first seconds under load)", f.fault(), f.faultSeconds());
        clients(f, "hangs already late when the first fault began (not judged)");
        line("  messages:   %d accepted; deliveries %d of %d; duplicates %d; still owed %d; %sLOST %d", f.accepted(),
                f.delivered(), f.expectedDeliveries(), f.duplicates(), f.owed(), notRetried(f.notRetried()), f.lost());
        line("");
    }

    /** Shown only when there are some: failed on an answer the platform does not retry (a redirect, most 4xx). */
    private static String notRetried(long count) {
        return count == 0 ? "" : "failed on the receiver's answer, not retried by contract " + count + "; ";
    }

    private void clients(ChaosReport.FaultResult f, String hangs) {
        line("  clients:    %d requests: %s", f.requests(), f.statuses());
        line("              503 with Retry-After %d, without %d; other 5xx %d; slowest answer %s ms; %s %d",
                f.unavailableWithRetryAfter(), f.unavailableWithoutRetryAfter(), f.otherServerErrors(),
                f.slowestAnswerMillis() < 0 ? "none (a request never answered)" : ms(f.slowestAnswerMillis()), hangs,
                f.hangs());
        if (!f.hangsBySecond().isEmpty()) {
            line("              hangs by the second their request was due (from the fault's start): %s; the most one went out late: %s ms",
                    f.hangsBySecond(), ms(f.hangsMaxSendLagMillis()));
        }
    }

    private void fault(ChaosReport.FaultResult f) {
        line("== %s (%.1f s)", f.fault(), f.faultSeconds());
        clients(f, "hangs");
        line("  messages:   %d accepted; deliveries %d of %d; duplicates %d; still owed %d; %sLOST %d", f.accepted(),
                f.delivered(), f.expectedDeliveries(), f.duplicates(), f.owed(), notRetried(f.notRetried()), f.lost());
        boolean receiverFault = f.fault().startsWith(Fault.Misbehave.PREFIX);
        line("  recovery:   accepting after %s s, delivering after %s s%s", seconds(f.acceptRecoverySeconds()),
                seconds(f.deliveryRecoverySeconds()), f.hostileRecoverySeconds() == null && !receiverFault
                        ? "" : "; the misbehaving endpoint took deliveries again after " + seconds(f.hostileRecoverySeconds()) + " s");
        var l = f.healthyLatency();
        line("  healthy endpoints, end to end for messages sent meanwhile: p50 %s p99 %s max %s ms (%d deliveries)",
                ms(l.p50()), ms(l.p99()), ms(l.max()), l.count());
        if (l.count() > 0) {
            String drained = f.backlogDeliveredSeconds() == null
                    ? "not all delivered (some still owed or lost)"
                    : "all delivered " + seconds(f.backlogDeliveredSeconds()) + " s after the fault began";
            line("              %s%s%s", drained,
                    f.nextFaultSeconds() == null ? "" : "; the next fault began after " + seconds(f.nextFaultSeconds()) + " s",
                    f.backlogMetTheNextFault() ? ": the latency above includes the next fault" : "");
        }
        line("");
    }

    private static String seconds(Double value) {
        return value == null ? "never" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.0f", value);
    }

    private void line(String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
