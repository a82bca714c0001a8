package io.hookrelay.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.infra.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/run-local} killed with SIGKILL (no shutdown hook runs) leaves nothing behind: every
 * process it started, PostgreSQL included, ends by itself and every port it used is free again.
 */
class LauncherKillIT {

    /** The children notice within a few seconds; their own graceful shutdown takes the rest. */
    static final Duration ORPHANS_GONE_WITHIN = Duration.ofSeconds(60);

    static final Pattern LISTENING = Pattern.compile("(?m)^  (postgres|kafka|ingest|delivery) +127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path data;

    @Test
    void launcherKilledWithSigkillTakesEveryChildAndPostgresDownWithIt() throws Exception {
        int gatewayPort = Ports.freePort();
        // the launcher's start-up wait, longer on a loaded machine (the property of ServiceLauncher)
        var slowMachine = java.util.Map.of("JAVA_TOOL_OPTIONS", "-Dhookrelay.local.startup-timeout=400");
        try (var run = RunLocalIT.RunLocal.start(gatewayPort, data, slowMachine)) {
            run.awaitReady();
            List<ProcessHandle> platform = new ArrayList<>(run.process.descendants().toList());
            ProcessHandle postgres = ProcessHandle.of(postmasterPid()).orElseThrow();
            platform.add(postgres);
            List<Integer> ports = new ArrayList<>(List.of(gatewayPort));
            LISTENING.matcher(run.output()).results().forEach(match -> ports.add(Integer.parseInt(match.group(2))));
            assertThat(ports).as("gateway, postgres, kafka, ingest, delivery").hasSize(5);
            assertThat(platform).as("sh watchdog, kafka, three services, postgres").hasSizeGreaterThanOrEqualTo(6);

            long killedAt = System.nanoTime();
            run.process.destroyForcibly();
            run.process.waitFor();
            boolean allGone = waitUntilGone(platform, ports);
            long seconds = Duration.ofNanos(System.nanoTime() - killedAt).toSeconds();

            System.out.printf("LauncherKillIT: %d processes and %d ports of the platform gone %d s after SIGKILL of the launcher%n",
                    platform.size(), ports.size(), seconds);
            assertThat(allGone).as("processes still alive: %s; ports still taken: %s",
                    platform.stream().filter(ProcessHandle::isAlive).map(p -> p.pid() + " " + p.info().command().orElse("?")).toList(),
                    ports.stream().filter(port -> !Ports.isFree(port)).toList()).isTrue();
        }
    }

    private long postmasterPid() throws Exception {
        return Long.parseLong(Files.readAllLines(data.resolve("postgres").resolve("postmaster.pid")).getFirst().trim());
    }

    private static boolean waitUntilGone(List<ProcessHandle> processes, List<Integer> ports) throws InterruptedException {
        long deadline = System.nanoTime() + ORPHANS_GONE_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (processes.stream().noneMatch(ProcessHandle::isAlive) && ports.stream().allMatch(Ports::isFree)) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }
}
