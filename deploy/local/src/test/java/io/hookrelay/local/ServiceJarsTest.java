package io.hookrelay.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The wrapper a training run starts under (ADR 0034): whatever the run started itself — as the JVM
 * starts another to assemble the cache — ends when the launcher's pipe closes, which the kernel
 * does however the launcher ends; and a run that ends by itself passes its exit status on.
 */
class ServiceJarsTest {

    @Test
    void everythingTheRunStartedEndsWhenThePipeCloses() throws Exception {
        String marker = "hookrelay-wrapper-test-" + ProcessHandle.current().pid();
        Process wrapper = new ProcessBuilder(command("sleep 300 & exec -a " + marker + " sleep 301")).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (processesNamed(marker).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        List<ProcessHandle> started = new ArrayList<>(wrapper.descendants().toList());
        assertThat(started).as("the run and what it started").hasSizeGreaterThanOrEqualTo(3);

        wrapper.getOutputStream().close(); // what the kernel does when the launcher dies

        assertThat(wrapper.waitFor(10, TimeUnit.SECONDS)).isTrue();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (started.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(started).as("grandchildren included").noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void aRunThatEndsByItselfGivesItsExitStatus() throws Exception {
        Process wrapper = new ProcessBuilder(command("exit 3")).start();

        assertThat(wrapper.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(wrapper.exitValue()).isEqualTo(3);
        wrapper.getOutputStream().close();
    }

    private static List<String> command(String script) {
        var command = new ArrayList<>(ServiceJars.DIES_WITH_THIS_PROCESS);
        command.addAll(List.of("/bin/bash", "-c", script));
        return command;
    }

    private static List<ProcessHandle> processesNamed(String name) {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().orElse("").contains(name))
                .toList();
    }
}
