package io.hookrelay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The whole tool, tiny settings, against a platform it starts with bin/run-local itself. */
class BenchIT {

    static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();

    @TempDir
    Path out;

    @Test
    void runsEveryScenarioAndReportsEverythingDeliveredAndSigned() throws Exception {
        List<String> args = List.of("--out", out.toString(), "--ceiling-seconds", "2", "--warmup-seconds", "1",
                "--steady-rate", "50", "--steady-seconds", "3", "--fanout-rate", "20", "--fanout-endpoints", "2",
                "--fanout-seconds", "3", "--burst-messages", "500", "--burst-concurrency", "32", "--drain-timeout", "60",
                "--verify-every", "10", "--settle-seconds", "1",
                // the gateway's default per-token limit (50/s) would refuse the burst
                "--no-rate-limit");
        var log = new ByteArrayOutputStream();

        new Bench(BenchOptions.parse(REPOSITORY, args), args, new PrintStream(log, true, StandardCharsets.UTF_8)).run();

        JsonNode report = JsonMapper.builder().build().readTree(Files.readString(out.resolve("report.json")));
        assertThat(report.propertyNames()).contains("environment", "settings", "idleResidentBytes", "ceiling", "warmup",
                "scenarios", "notes");
        assertThat(report.path("ceiling").path("requestsPerSecond").asDouble()).isPositive();
        assertThat(report.path("scenarios")).extracting(s -> s.path("name").asString())
                .containsExactly("steady", "fanout", "burst");
        for (JsonNode scenario : report.path("scenarios")) {
            String name = scenario.path("name").asString();
            JsonNode outcome = scenario.path("outcome");
            assertThat(outcome.path("accepted").asInt()).as(name + " accepted").isEqualTo(scenario.path("sending").path("sent").asInt());
            assertThat(outcome.path("lost").asLong()).as(name + " lost").isZero();
            assertThat(outcome.path("delivered").asLong()).as(name + " delivered").isEqualTo(outcome.path("expectedDeliveries").asLong());
            assertThat(outcome.path("badSignatures").asLong()).as(name + " bad signatures").isZero();
            assertThat(outcome.path("signaturesVerified").asLong()).as(name + " verified").isPositive();
            assertThat(scenario.path("endToEndLatency").path("count").asLong()).isEqualTo(outcome.path("delivered").asLong());
            assertThat(scenario.path("series").size()).as(name + " series").isPositive();
            assertThat(scenario.path("processes")).extracting(p -> p.path("role").asString())
                    .contains(PlatformProcesses.GATEWAY, PlatformProcesses.INGEST, PlatformProcesses.DELIVERY);
            assertThat(scenario.path("processes")).allSatisfy(p -> assertThat(p.path("peakResidentBytes").asLong()).isPositive());
            assertThat(scenario.path("gc").size()).isEqualTo(GcLogWindow.LOGGED.size() + 1);
            // from the services' GC logs (0 when a short scenario saw no collection in a service)
            assertThat(scenario.path("allocatedKilobytesPerDelivery").propertyNames())
                    .contains(PlatformProcesses.GATEWAY, PlatformProcesses.INGEST, PlatformProcesses.DELIVERY);
            assertThat(scenario.path("allocatedKilobytesPerDelivery").path(PlatformProcesses.INGEST).asDouble()).isNotNegative();
        }
        assertThat(report.path("scenarios").get(1).path("outcome").path("expectedDeliveries").asLong())
                .isEqualTo(2L * report.path("scenarios").get(1).path("outcome").path("accepted").asLong());
        assertThat(report.path("idleResidentBytes").propertyNames())
                .contains(PlatformProcesses.GATEWAY, PlatformProcesses.INGEST, PlatformProcesses.DELIVERY, PlatformProcesses.KAFKA,
                        PlatformProcesses.POSTGRES);
        assertThat(Files.readString(out.resolve("report.txt"))).contains("== steady", "== fanout", "== burst", "== ceiling");
        assertThat(Files.readString(out.resolve("chart.svg"))).contains("data-series=\"delivered/s\"");
    }
}
