package io.hookrelay.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report as text: one table per scenario, the ceiling, the process table, each rate as a fraction of the ceiling. */
final class TextReport {

    private final StringBuilder out = new StringBuilder();

    static String render(BenchReport report) {
        return new TextReport().write(report).out.toString();
    }

    private TextReport write(BenchReport report) {
        var env = report.environment();
        line("HookRelay benchmark (bin/bench)");
        line("  command:     %s", env.commandLine());
        line("  commit:      %s", env.gitCommit());
        line("  JDK:         %s; CPUs: %d", env.jdk(), env.cpus());
        line("  AOT caches:  %s (asked for on each command line)", env.aotCaches().isEmpty() ? "services not found" : env.aotCaches());
        line("  started:     %s; target: %s", env.startedAt(), env.target());
        line("  load avg:    before %s; after %s", env.loadAverageBefore(), env.loadAverageAfter());
        line("  settings:    %s", report.settings());
        line("  output:      %s", env.outputDirectory());
        line("");
        ceiling(report.ceiling());
        if (report.warmup() != null) {
            var w = report.warmup();
            line("Warm-up (not a scenario): %.0f s, %d accepted, %d delivered, %d still owed when the scenarios began",
                    w.seconds(), w.accepted(), w.delivered(), w.owed());
            line("");
        }
        for (var scenario : report.scenarios()) {
            scenario(scenario, report.ceiling());
        }
        processes(report);
        for (String note : report.notes()) {
            line("Note: %s", note);
        }
        return this;
    }

    private void ceiling(CeilingResult ceiling) {
        if (ceiling == null) {
            line("Ceiling: not measured (--scenarios without ceiling): no fractions of the ceiling below");
            line("");
            return;
        }
        var l = ceiling.latency();
        line("== ceiling: the same client straight to the same receiver, %d in flight, %.1f s", ceiling.concurrency(),
                ceiling.seconds());
        line("  %,.0f requests/s; latency p50 %s p90 %s p99 %s p99.9 %s max %s ms; errors %s", ceiling.requestsPerSecond(),
                ms(l.p50()), ms(l.p90()), ms(l.p99()), ms(l.p999()), ms(l.max()), ceiling.errors().isEmpty() ? "none" : ceiling.errors());
        line("");
    }

    private void scenario(ScenarioResult s, CeilingResult ceiling) {
        var send = s.sending();
        var o = s.outcome();
        line("== %s: %s", s.name(), s.description());
        line("  offered        %s", send.model().equals("open")
                ? String.format(Locale.ROOT, "%d msg/s planned, %,.0f msg/s achieved; %d planned, %d sent, %d not sent (generator saturated); max send lag %.1f ms",
                        send.offeredRate(), send.achievedOfferedRate(), send.planned(), send.sent(), send.notSentGeneratorSaturated(), send.maxSendLagMillis())
                : String.format(Locale.ROOT, "%d of %d sent in %.1f s%s", send.sent(), send.planned(), send.sendingSeconds(),
                        send.sent() < send.planned() ? " (time limit reached: the rest not sent)" : ""));
        line("  accepted       %,d (%,.0f/s = accepted / (last 202 - first send))%s", o.accepted(), o.acceptRate(), fraction(o.acceptRate(), ceiling));
        line("  delivered      %,d of %,d (%,.0f/s = deliveries / (first 202 -> last delivery))%s", o.delivered(), o.expectedDeliveries(),
                o.deliveryRate(), fraction(o.deliveryRate(), ceiling));
        line("  lost           %,d%s", o.lost(), o.lost() > 0 ? " (" + o.lostNote() + ")" : "");
        line("  duplicates     %,d; late (> %d ms) %,d; delivered without a 202 seen by the bench (its request failed or timed out) %,d",
                o.duplicates(), o.lateThresholdMillis(), o.late(), o.unexpectedDeliveries());
        line("  non-202        %s; client errors/time-outs %s", o.non202ByStatus().isEmpty() ? "none" : o.non202ByStatus(),
                o.clientErrors().isEmpty() ? "none" : o.clientErrors());
        line("  signatures     %,d verified, %,d bad (sample)", o.signaturesVerified(), o.badSignatures());
        line("  drain          %.1f s after sending ended%s", o.drainSeconds(), o.drained() ? "" : " (drain timeout reached)");
        line("  %-14s %9s %9s %9s %9s %9s %9s", "latency (ms)", "count", "p50", "p90", "p99", "p99.9", "max");
        latency("accept", s.acceptLatency());
        latency("accept->deliv.", s.endToEndLatency());
        line("  %-34s %9s %9s %8s %7s %11s %11s %7s %9s %9s", "process", "RSS start", "RSS peak", "CPU s", "JIT s", "CPU s/1000",
                "alloc KB/1", "% core", "GC pauses", "GC max ms");
        for (var role : s.processes()) {
            var gc = s.gc().stream().filter(g -> g.process().equals(role.role())).findFirst();
            double allocated = gc.map(g -> s.allocatedKilobytesPerDelivery(g)).orElse(Double.NaN);
            line("  %-34s %9s %9s %8.1f %7s %11.3f %11s %7.0f %9s %9s", role.role(), mb(role.residentBytesAtStart()), mb(role.peakResidentBytes()),
                    role.cpuSeconds(), role.role().equals(PlatformProcesses.POSTGRES) ? "-" : String.format(Locale.ROOT, "%.1f", role.jitCpuSeconds()),
                    s.cpuSecondsPerThousandDeliveries(role),
                    Double.isNaN(allocated) ? "-" : String.format(Locale.ROOT, "%.1f", allocated), role.percentOfCore(),
                    gc.map(g -> g.note().equals("no GC log") ? "no log" : Integer.toString(g.pauses())).orElse("-"),
                    gc.map(g -> Double.isNaN(g.maxMillis()) || g.pauses() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", g.maxMillis())).orElse("-"));
        }
        s.notWarm().ifPresent(share -> line("  not warm: the services' JIT compiler threads spent %.0f %% of their CPU (above %.0f %%): the"
                + " CPU and latency figures include the warm-up; a longer --warmup-seconds (docs/benchmarks.md)", share,
                ScenarioResult.WARM_JIT_SHARE_PERCENT));
        line("");
    }

    private void processes(BenchReport report) {
        line("== processes: resident memory idle (before the first scenario) and peak; GC collector and pause total per scenario");
        for (Map.Entry<String, Long> idle : report.idleResidentBytes().entrySet()) {
            StringBuilder peaks = new StringBuilder();
            for (var s : report.scenarios()) {
                s.processes().stream().filter(r -> r.role().equals(idle.getKey())).findFirst()
                        .ifPresent(r -> peaks.append(String.format(Locale.ROOT, "  %s peak %s", s.name(), mb(r.peakResidentBytes()))));
                s.gc().stream().filter(g -> g.process().equals(idle.getKey())).findFirst()
                        .ifPresent(g -> peaks.append(g.note().equals("no GC log") ? " (no GC log)"
                                : String.format(Locale.ROOT, " (%s: %d pauses, max %s ms, %.1f ms total)", g.collector(), g.pauses(),
                                        Double.isNaN(g.maxMillis()) ? "?" : String.format(Locale.ROOT, "%.1f", g.maxMillis()), g.totalMillis())));
            }
            line("  %-34s idle %s%s", idle.getKey(), mb(idle.getValue()), peaks);
        }
        List<String> missing = PlatformProcesses.ROLES.stream().filter(r -> !report.idleResidentBytes().containsKey(r)).toList();
        if (!missing.isEmpty()) {
            line("  not found: %s", missing);
        }
        line("");
    }

    private void latency(String name, Latency l) {
        line("  %-14s %9d %9s %9s %9s %9s %9s", name, l.count(), ms(l.p50()), ms(l.p90()), ms(l.p99()), ms(l.p999()), ms(l.max()));
    }

    private static String fraction(double rate, CeilingResult ceiling) {
        return ceiling == null || ceiling.requestsPerSecond() <= 0 ? ""
                : String.format(Locale.ROOT, ", %.1f %% of the ceiling", 100 * rate / ceiling.requestsPerSecond());
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "-" : value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.0f MB", bytes / 1048576.0);
    }

    private void line(String format, Object... args) {
        out.append(args.length == 0 ? format : String.format(Locale.ROOT, format, args)).append('\n');
    }
}
