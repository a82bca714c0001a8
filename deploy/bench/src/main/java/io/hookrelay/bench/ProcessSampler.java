package io.hookrelay.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples every process role once a second from /proc: resident memory (summed over the role's
 * processes) and CPU time. A window (one scenario) reports the peak resident memory seen and the
 * CPU seconds spent between its start and its end, and how many of those the JVM's JIT compiler
 * threads spent (a warm JVM spends little there: a large share says the figures are not warm).
 */
final class ProcessSampler implements AutoCloseable {

    /** One role's figures over one window. */
    record RoleFigures(String role, int processes, long residentBytesAtStart, long peakResidentBytes,
            double cpuSeconds, double jitCpuSeconds, double wallSeconds) {

        @JsonProperty("percentOfCore")
        double percentOfCore() {
            return wallSeconds > 0 ? 100.0 * cpuSeconds / wallSeconds : 0;
        }
    }

    /** One role's counters at one moment. */
    record Reading(int processes, long residentBytes, long cpuTicks, long jitTicks) {}

    private final ProcFs proc;
    private final PlatformProcesses processes;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("bench-process-sampler").factory());
    private final Map<String, Long> peaks = new LinkedHashMap<>();
    private Map<String, Reading> windowStart = Map.of();
    private long windowStartNanos;

    ProcessSampler(ProcFs proc, PlatformProcesses processes) {
        this.proc = proc;
        this.processes = processes;
    }

    void start() {
        timer.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
    }

    /** Reads every role now. */
    Map<String, Reading> read() {
        Map<String, Reading> readings = new LinkedHashMap<>();
        processes.find().forEach((role, pids) -> readings.put(role, read(role, pids)));
        return readings;
    }

    synchronized void beginWindow() {
        windowStart = read();
        windowStartNanos = System.nanoTime();
        peaks.clear();
        windowStart.forEach((role, reading) -> peaks.put(role, reading.residentBytes()));
    }

    synchronized List<RoleFigures> endWindow() {
        sample();
        Map<String, Reading> end = read();
        double wall = (System.nanoTime() - windowStartNanos) / 1e9;
        return end.entrySet().stream().map(entry -> {
            Reading now = entry.getValue();
            Reading start = windowStart.getOrDefault(entry.getKey(), new Reading(0, 0, now.cpuTicks(), now.jitTicks()));
            // a process that ended in between takes its ticks along: never report negative time
            long ticks = Math.max(0, now.cpuTicks() - start.cpuTicks());
            long jitTicks = Math.min(ticks, Math.max(0, now.jitTicks() - start.jitTicks()));
            return new RoleFigures(entry.getKey(), now.processes(), start.residentBytes(),
                    Math.max(peaks.getOrDefault(entry.getKey(), 0L), now.residentBytes()),
                    ticks / ProcFs.TICKS_PER_SECOND, jitTicks / ProcFs.TICKS_PER_SECOND, wall);
        }).toList();
    }

    private synchronized void sample() {
        processes.find().forEach((role, pids) -> peaks.merge(role, resident(role, pids), Math::max));
    }

    private long resident(String role, List<Long> pids) {
        long resident = 0;
        for (long pid : pids) {
            // PostgreSQL's backends all map its shared buffers: sum proportional sizes, not RSS
            resident += (role.equals(PlatformProcesses.POSTGRES) ? proc.proportionalBytes(pid) : Optional.<Long>empty())
                    .or(() -> proc.residentBytes(pid))
                    .orElse(0L);
        }
        return resident;
    }

    private Reading read(String role, List<Long> pids) {
        long ticks = 0;
        long jitTicks = 0;
        int alive = 0;
        for (long pid : pids) {
            var stat = proc.stat(pid);
            if (stat.isEmpty()) {
                continue;
            }
            alive++;
            ticks += stat.get().cpuTicks();
            jitTicks += proc.compilerTicks(pid);
            if (role.equals(PlatformProcesses.POSTGRES) && pid == pids.getFirst()) {
                // the postmaster: count the backends it has already reaped too
                ticks += stat.get().childrenCpuTicks();
            }
        }
        return new Reading(alive, resident(role, pids), ticks, jitTicks);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
