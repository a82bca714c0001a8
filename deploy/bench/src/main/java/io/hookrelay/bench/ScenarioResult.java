package io.hookrelay.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Everything one platform scenario measured; the report prints it and writes it as JSON. */
record ScenarioResult(
        String name,
        String description,
        Sending sending,
        Outcome outcome,
        Latency acceptLatency,
        Latency endToEndLatency,
        List<ProcessSampler.RoleFigures> processes,
        List<GcLogWindow.GcFigures> gc,
        List<TimeSeries.Second> series) {

    /** What the load generator did. */
    record Sending(String model, int endpoints, int offeredRate, int planned, int sent,
            int notSentGeneratorSaturated, double achievedOfferedRate, double maxSendLagMillis, double sendingSeconds) {}

    /** What the platform did with it. */
    record Outcome(
            int accepted,
            Map<String, Integer> non202ByStatus,
            Map<String, Integer> clientErrors,
            double acceptRate,
            long expectedDeliveries,
            long delivered,
            double deliveryRate,
            long lost,
            String lostNote,
            long duplicates,
            long late,
            long lateThresholdMillis,
            long unexpectedDeliveries,
            long signaturesVerified,
            long badSignatures,
            double drainSeconds,
            boolean drained) {}

    /**
     * Above this share of the three services' CPU spent by their JIT compiler threads, a
     * scenario's figures are not those of a warm platform (warm, the share is a few per cent).
     */
    static final double WARM_JIT_SHARE_PERCENT = 10;

    private static final Set<String> SERVICES = Set.of(PlatformProcesses.GATEWAY, PlatformProcesses.INGEST, PlatformProcesses.DELIVERY);

    /** The share (%) of the three services' CPU that their JIT compiler threads spent in this scenario (in report.json). */
    @JsonProperty("servicesJitSharePercent")
    double servicesJitSharePercent() {
        double cpu = 0;
        double jit = 0;
        for (var role : processes) {
            if (SERVICES.contains(role.role())) {
                cpu += role.cpuSeconds();
                jit += role.jitCpuSeconds();
            }
        }
        return cpu == 0 ? 0 : 100.0 * jit / cpu;
    }

    /** The services' JIT share, if it is above {@link #WARM_JIT_SHARE_PERCENT}. */
    Optional<Double> notWarm() {
        double share = servicesJitSharePercent();
        return share > WARM_JIT_SHARE_PERCENT ? Optional.of(share) : Optional.empty();
    }

    /** Role to the CPU seconds it spent per 1,000 deliveries in this scenario (in report.json). */
    @JsonProperty("cpuSecondsPerThousandDeliveries")
    Map<String, Double> cpuSecondsPerThousandDeliveriesByRole() {
        Map<String, Double> byRole = new LinkedHashMap<>();
        processes.forEach(role -> byRole.put(role.role(), cpuSecondsPerThousandDeliveries(role)));
        return byRole;
    }

    /** Role to the kilobytes its JVM allocated per delivery in this scenario (in report.json), where known. */
    @JsonProperty("allocatedKilobytesPerDelivery")
    Map<String, Double> allocatedKilobytesPerDeliveryByRole() {
        Map<String, Double> byRole = new LinkedHashMap<>();
        gc.forEach(figures -> {
            double kilobytes = allocatedKilobytesPerDelivery(figures);
            if (!Double.isNaN(kilobytes)) {
                byRole.put(figures.process(), kilobytes);
            }
        });
        return byRole;
    }

    /** Kilobytes a JVM allocated per delivery in this scenario, from its GC log; NaN when not known. */
    double allocatedKilobytesPerDelivery(GcLogWindow.GcFigures figures) {
        return outcome.delivered() == 0 || figures.allocatedBytes() < 0
                ? Double.NaN
                : figures.allocatedBytes() / 1024.0 / outcome.delivered();
    }

    /** CPU seconds a role spent per 1,000 deliveries in this scenario. */
    double cpuSecondsPerThousandDeliveries(ProcessSampler.RoleFigures role) {
        return outcome.delivered() == 0 ? Double.NaN : role.cpuSeconds() * 1000.0 / outcome.delivered();
    }
}
