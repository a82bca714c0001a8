package io.hookrelay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScenarioResultTest {

    @Test
    void aScenarioIsNotWarmWhenTheServicesJitCompilersTookMoreThanATenthOfTheirCpu() {
        var compiling = result(List.of(
                role(PlatformProcesses.GATEWAY, 10, 1),
                role(PlatformProcesses.INGEST, 20, 4),
                role(PlatformProcesses.DELIVERY, 10, 1),
                role(PlatformProcesses.KAFKA, 10, 5)));

        assertThat(compiling.servicesJitSharePercent()).as("6 of the services' 40 s; Kafka's JIT is not theirs").isEqualTo(15.0);
        assertThat(compiling.notWarm()).contains(15.0);
    }

    @Test
    void aScenarioWhoseServicesBarelyCompileIsWarm() {
        var warm = result(List.of(
                role(PlatformProcesses.GATEWAY, 10, 0.2),
                role(PlatformProcesses.INGEST, 20, 1),
                role(PlatformProcesses.DELIVERY, 10, 0.2),
                role(PlatformProcesses.BENCH, 10, 8)));

        assertThat(warm.servicesJitSharePercent()).isEqualTo(3.5);
        assertThat(warm.notWarm()).isEmpty();
        assertThat(result(List.of()).notWarm()).as("no services measured").isEmpty();
    }

    private static ProcessSampler.RoleFigures role(String name, double cpuSeconds, double jitSeconds) {
        return new ProcessSampler.RoleFigures(name, 1, 0, 0, cpuSeconds, jitSeconds, 60);
    }

    private static ScenarioResult result(List<ProcessSampler.RoleFigures> processes) {
        var sending = new ScenarioResult.Sending("open", 1, 100, 6000, 6000, 0, 100, 1, 60);
        var outcome = new ScenarioResult.Outcome(6000, Map.of(), Map.of(), 100, 6000, 6000, 100, 0, "", 0, 0, 1000, 0,
                10, 0, 0.1, true);
        return new ScenarioResult("steady", "a test", sending, outcome, Latency.NONE, Latency.NONE, processes, List.of(), List.of());
    }
}
