package io.hookrelay.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JVM child process with its output in a log file. It is told the parent's pid so it can stop
 * itself if the parent dies without stopping it (see {@link ParentWatchdog}).
 */
public final class ChildProcess implements AutoCloseable {

    private static final Path NICE = Path.of("/usr/bin/nice");

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code java <jvmArgs> <mainArgs>} with the same JDK as this process. */
    public static ChildProcess startJava(
            String name, List<String> jvmArgs, List<String> mainArgs, Map<String, String> environment, Path log) {
        return startJava(name, 0, jvmArgs, mainArgs, environment, log);
    }

    /**
     * Starts {@code java <jvmArgs> <mainArgs>} with the same JDK as this process, {@code niceness}
     * steps below this process's CPU priority (0: the same; 19 at most): through {@code nice}, which replaces
     * itself with the JVM, so the child's pid and command line are the JVM's. Linux keeps a niceness
     * per thread, and a thread starts with its creator's: set at the start, it covers every thread
     * the JVM makes. Without {@code /usr/bin/nice} (not a Unix system) at this process's priority.
     */
    public static ChildProcess startJava(String name, int niceness, List<String> jvmArgs, List<String> mainArgs,
            Map<String, String> environment, Path log) {
        if (niceness < 0 || niceness > 19) {
            throw new IllegalArgumentException("A niceness is 0 to 19, not " + niceness);
        }
        List<String> command = new ArrayList<>();
        if (niceness > 0 && Files.isExecutable(NICE)) {
            command.addAll(List.of(NICE.toString(), "-n", Integer.toString(niceness)));
        }
        command.add(currentJava());
        command.add("-D" + ParentWatchdog.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
        command.addAll(jvmArgs);
        command.addAll(mainArgs);
        try {
            Files.createDirectories(log.getParent());
            var builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            return new ChildProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name, e);
        }
    }

    public static String currentJava() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    public String name() {
        return name;
    }

    /** The process itself, for tests that must kill it hard. */
    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** The last lines of the log, for error messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    /** Asks the process to stop (SIGTERM) without waiting; {@link #stop} then waits for it. */
    public void terminate() {
        process.destroy();
    }

    /** SIGTERM, then SIGKILL after {@code grace}; waits until the process and its children are gone. */
    public void stop(Duration grace) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(20));
    }
}
