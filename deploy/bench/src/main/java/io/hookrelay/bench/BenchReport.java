package io.hookrelay.bench;

import java.util.List;
import java.util.Map;

/** One run's report: where and how it ran, the ceiling, every scenario, the footprint. */
record BenchReport(
        Environment environment,
        Map<String, Object> settings,
        Map<String, Long> idleResidentBytes,
        CeilingResult ceiling,
        WarmupSummary warmup,
        List<ScenarioResult> scenarios,
        List<String> notes) {

    /** Where the run happened. */
    record Environment(String commandLine, String gitCommit, String jdk, int cpus, String startedAt,
            String loadAverageBefore, String loadAverageAfter, String target, String outputDirectory,
            Map<String, String> aotCaches) {}

    /** The warm-up's few figures: not a scenario, but whether the platform kept up is worth seeing. */
    record WarmupSummary(double seconds, int accepted, long delivered, long owed) {}
}
