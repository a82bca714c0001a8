package io.hookrelay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFsTest {

    @TempDir
    Path proc;

    @Test
    void addsUserAndSystemTimeAndKeepsReapedChildrenApart() {
        String line = "4242 (java) S 4200 4242 4200 0 -1 4194560 12345 0 3 0 1500 250 40 2 20 0 38 0 1234 3000000000 65000 "
                + "18446744073709551615 1 1 0 0 0 0 16898 0 0 0 17 1 0 0 0 0 0";

        var stat = ProcFs.parseStat(line);

        assertThat(stat.pid()).isEqualTo(4242);
        assertThat(stat.parentPid()).isEqualTo(4200);
        assertThat(stat.cpuTicks()).isEqualTo(1750);
        assertThat(stat.childrenCpuTicks()).isEqualTo(42);
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        String line = "77 (postgres: bench (x) ) S 70 77 77 0 -1 4194560 1 0 0 0 9 3 1 1 20 0 1 0 1 1 1";

        var stat = ProcFs.parseStat(line);

        assertThat(stat.parentPid()).isEqualTo(70);
        assertThat(stat.cpuTicks()).isEqualTo(12);
        assertThat(stat.childrenCpuTicks()).isEqualTo(2);
    }

    @Test
    void readsResidentMemoryInBytes() {
        String status = "Name:\tjava\nVmPeak:\t 3000000 kB\nVmRSS:\t  262144 kB\nRssAnon:\t 200000 kB\n";

        assertThat(ProcFs.parseResidentBytes(status)).contains(262_144L * 1024);
    }

    @Test
    void aKernelThreadHasNoResidentMemory() {
        assertThat(ProcFs.parseResidentBytes("Name:\tkthreadd\nState:\tS (sleeping)\n")).isEmpty();
    }

    @Test
    void readsAProcessFromAProcDirectoryAndSaysNothingOfAGoneOne() throws IOException {
        Path pid = Files.createDirectories(proc.resolve("123"));
        Files.writeString(pid.resolve("stat"), "123 (x) R 1 1 1 0 -1 0 0 0 0 0 5 5 0 0 20 0 1 0 1 1 1");
        Files.writeString(pid.resolve("status"), "VmRSS:\t 1024 kB\n");
        Files.writeString(pid.resolve("cmdline"), "java\0-jar\0api-gateway.jar\0");
        var procFs = new ProcFs(proc);

        assertThat(procFs.pids()).containsExactly(123L);
        assertThat(procFs.stat(123)).hasValueSatisfying(stat -> assertThat(stat.cpuTicks()).isEqualTo(10));
        assertThat(procFs.residentBytes(123)).contains(1024L * 1024);
        assertThat(procFs.commandLine(123)).contains("java -jar api-gateway.jar");
        assertThat(procFs.stat(999)).isEmpty();
    }

    @Test
    void countsTheCpuOfTheJitCompilerThreadsOnly() throws IOException {
        thread(123, 123, "java", 500);
        thread(123, 130, "C2 CompilerThre", 70);
        thread(123, 131, "C1 CompilerThre", 5);
        thread(123, 140, "reactor-http-ep", 900);
        thread(123, 141, "C2 Compiler", 1000); // not a HotSpot compiler thread's name
        var procFs = new ProcFs(proc);

        assertThat(procFs.compilerTicks(123)).isEqualTo(75);
        assertThat(procFs.compilerTicks(999)).as("a process that is gone").isZero();
    }

    private void thread(long pid, long tid, String name, long ticks) throws IOException {
        Path task = Files.createDirectories(proc.resolve(Long.toString(pid)).resolve("task").resolve(Long.toString(tid)));
        Files.writeString(task.resolve("comm"), name + "\n");
        Files.writeString(task.resolve("stat"), tid + " (" + name + ") S " + pid + " 1 1 0 -1 0 0 0 0 0 " + (ticks - 1) + " 1 0 0 20 0 1 0 1 1 1");
    }

    @Test
    void tellsTheServicesAndTheBrokerByTheirCommandLines() {
        assertThat(PlatformProcesses.roleOf("/usr/bin/java -Dhookrelay.parent-pid=9 -jar /r/api-gateway/target/api-gateway.jar"))
                .contains(PlatformProcesses.GATEWAY);
        assertThat(PlatformProcesses.roleOf("/usr/bin/java -cp x io.hookrelay.infra.KafkaBrokerMain /d/kafka 0"))
                .contains(PlatformProcesses.KAFKA);
        assertThat(PlatformProcesses.roleOf("postgres -D /d/postgres")).isEmpty();
        assertThat(PlatformProcesses.roleOf("/usr/bin/java -Dhookrelay.parent-pid=9 "
                + "-jar /r/deploy/local/target/services/api-gateway-0123456789ab/api-gateway.jar"))
                .as("extracted by bin/run-local (ADR 0034)").contains(PlatformProcesses.GATEWAY);
        assertThat(PlatformProcesses.roleOf("/bin/sh -c set -m; ... sh /usr/bin/nice -n 19 /usr/bin/java "
                + "-Dhookrelay.aot-training=true -Dhookrelay.parent-pid=9 -XX:AOTCacheOutput=/x/api-gateway.aot "
                + "-jar /r/deploy/local/target/services/api-gateway-0123456789ab/api-gateway.jar"))
                .as("an AOT cache's training run, and its wrapper").isEmpty();
    }

    @Test
    void tellsWhichAotCacheEachServiceAsksFor() {
        String jar = " -jar /r/deploy/local/target/services/ingest-service-0123456789ab/ingest-service.jar";
        assertThat(PlatformProcesses.aotCacheOf("/usr/bin/java -XX:AOTCache=/r/deploy/local/target/services/"
                + "ingest-service-0123456789ab/ingest-service.traffic.aot" + jar)).isEqualTo("trained under traffic");
        assertThat(PlatformProcesses.aotCacheOf("/usr/bin/java -XX:AOTCache=/r/deploy/local/target/services/"
                + "ingest-service-0123456789ab/ingest-service.aot" + jar)).isEqualTo("trained at start only");
        assertThat(PlatformProcesses.aotCacheOf("/usr/bin/java" + jar)).isEqualTo("none");
    }

    @Test
    void readsTheProportionalSetSizeThatCanBeSummedOverSharedMemory() throws IOException {
        Path pid = Files.createDirectories(proc.resolve("55"));
        Files.writeString(pid.resolve("smaps_rollup"),
                "55d0-7ffd ---p 00000000 00:00 0 [rollup]\nRss:  150000 kB\nPss:   40000 kB\nPss_Anon: 9000 kB\n");

        assertThat(new ProcFs(proc).proportionalBytes(55)).contains(40_000L * 1024);
    }

    @Test
    void findsTheLauncherOfAPlatformFromItsDataDirectory() throws IOException {
        Path kafka = Files.createDirectories(proc.resolve("300"));
        Files.writeString(kafka.resolve("cmdline"),
                "/usr/bin/java\0-Dhookrelay.parent-pid=299\0-Xmx512m\0io.hookrelay.infra.KafkaBrokerMain\0/tmp/hr-x/kafka/server.properties\0");
        Path other = Files.createDirectories(proc.resolve("400"));
        Files.writeString(other.resolve("cmdline"),
                "/usr/bin/java\0-Dhookrelay.parent-pid=399\0io.hookrelay.infra.KafkaBrokerMain\0/tmp/hr-y/kafka/server.properties\0");

        assertThat(PlatformProcesses.launcherOf(new ProcFs(proc), Path.of("/tmp/hr-x"))).contains(299L);
        assertThat(PlatformProcesses.launcherOf(new ProcFs(proc), Path.of("/tmp/hr-z"))).isEmpty();
    }
}
