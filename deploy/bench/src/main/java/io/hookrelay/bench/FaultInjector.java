package io.hookrelay.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Does a {@link Fault} to the platform's processes (found by {@link PlatformProcesses}) and undoes
 * it when its time is up. Whatever happens, {@link #close()} resumes every process it froze, so a
 * campaign that fails leaves no stalled PostgreSQL or Kafka behind.
 */
final class FaultInjector implements AutoCloseable {

    /** When a fault began and ended (System.nanoTime()); a kill ends when the signal is sent. */
    record Window(long startNanos, long endNanos) {}

    private final PlatformProcesses processes;
    private final Optional<Path> dataDirectory;
    private final HostileReceiver hostile;
    private final Set<Long> frozen = ConcurrentHashMap.newKeySet();

    FaultInjector(PlatformProcesses processes, Optional<Path> dataDirectory, HostileReceiver hostile) {
        this.processes = processes;
        this.dataDirectory = dataDirectory;
        this.hostile = hostile;
    }

    /** Injects {@code fault}, waits out its duration, undoes it; returns when it began and ended. */
    Window inject(Fault fault) {
        long start = System.nanoTime();
        switch (fault) {
            case Fault.Kill kill -> pids(List.of(kill.role())).forEach(pid -> ProcessHandle.of(pid)
                    .ifPresent(ProcessHandle::destroyForcibly));
            case Fault.Freeze freeze -> {
                List<Long> pids = pids(freeze.roles());
                signal("STOP", pids);
                frozen.addAll(pids);
                try {
                    sleep(freeze.duration().toMillis());
                } finally {
                    signal("CONT", pids);
                    frozen.removeAll(pids);
                }
            }
            case Fault.Stop stop -> {
                List<Runnable> restarts = new ArrayList<>();
                if (stop.roles().contains(PlatformProcesses.KAFKA)) {
                    restarts.add(stopKafka());
                }
                if (stop.roles().contains(PlatformProcesses.POSTGRES)) {
                    restarts.add(stopPostgres());
                }
                try {
                    sleep(stop.duration().toMillis());
                } finally {
                    restarts.forEach(Runnable::run);
                }
            }
            case Fault.Misbehave misbehave -> {
                hostile.misbehave(misbehave.mode());
                try {
                    sleep(misbehave.duration().toMillis());
                } finally {
                    hostile.misbehave(HostileReceiver.Mode.HEALTHY);
                }
            }
        }
        return new Window(start, System.nanoTime());
    }

    /** Whether this injector can do {@code fault} to this platform (stopping PostgreSQL needs its data directory). */
    boolean supports(Fault fault) {
        return !(fault instanceof Fault.Stop stop && stop.roles().contains(PlatformProcesses.POSTGRES))
                || dataDirectory.isPresent();
    }

    private List<Long> pids(List<String> roles) {
        Map<String, List<Long>> found = processes.find();
        List<Long> pids = new ArrayList<>();
        for (String role : roles) {
            List<Long> ofRole = found.get(role);
            if (ofRole == null || ofRole.isEmpty()) {
                throw new IllegalStateException("no " + role + " process found to inject a fault into");
            }
            pids.addAll(ofRole);
        }
        return pids;
    }

    /**
     * A planned outage, the campaign playing the operator: an immediate shutdown (no checkpoint,
     * like a crash; bin/run-local restarts a PostgreSQL that dies, but not one asked to shut down,
     * ADR 0019), then the same server started again with the options it ran with
     * (postmaster.opts), on the same port and data directory. Returns the restart.
     */
    private Runnable stopPostgres() {
        Path data = dataDirectory.orElseThrow().resolve("postgres");
        String opts = read(data.resolve("postmaster.opts")).trim();
        int firstSpace = opts.indexOf(' ');
        Path pgCtl = Path.of(opts.substring(0, firstSpace)).resolveSibling("pg_ctl");
        String arguments = opts.substring(firstSpace + 1).replaceFirst("\"-D\"\\s+\"[^\"]*\"", "").trim();
        run(asPostgresUser(List.of(pgCtl.toString(), "stop", "-D", data.toString(), "-m", "immediate", "-w")));
        Path log = dataDirectory.get().resolve("logs").resolve("postgres-restarted-by-chaos.log");
        return () -> run(asPostgresUser(List.of(pgCtl.toString(), "start", "-D", data.toString(), "-w", "-t", "120",
                "-l", log.toString(), "-o", arguments)));
    }

    /** pg_ctl refuses to run as root; the embedded PostgreSQL runs it in a user namespace then, and so do we. */
    private static List<String> asPostgresUser(List<String> command) {
        if (!"root".equals(System.getProperty("user.name"))) {
            return command;
        }
        List<String> unshared = new ArrayList<>(List.of("unshare", "-U"));
        unshared.addAll(command);
        return unshared;
    }

    /**
     * Nor Kafka: the broker gets SIGTERM (a clean stop, SIGKILL after 60 s) and is relaunched with
     * its command line, environment and working directory. It still carries the launcher's pid,
     * so it still stops when the launcher goes (ParentWatchdog). Returns the relaunch.
     */
    private Runnable stopKafka() {
        long pid = pids(List.of(PlatformProcesses.KAFKA)).getFirst();
        List<String> command = List.of(readProc(pid, "cmdline").split("\0"));
        List<String> environment = List.of(readProc(pid, "environ").split("\0"));
        Path directory = procCwd(pid);
        ProcessHandle broker = ProcessHandle.of(pid).orElseThrow();
        broker.destroy();
        try {
            broker.onExit().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            broker.destroyForcibly();
        }
        Path log = dataDirectory.map(d -> d.resolve("logs")).orElse(directory).resolve("kafka-restarted-by-chaos.log");
        return () -> {
            var builder = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().clear();
            for (String entry : environment) {
                int equals = entry.indexOf('=');
                if (equals > 0) {
                    builder.environment().put(entry.substring(0, equals), entry.substring(equals + 1));
                }
            }
            try {
                builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot relaunch the Kafka broker", e);
            }
        };
    }

    private static String readProc(long pid, String file) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/" + pid + "/" + file, e);
        }
    }

    private static Path procCwd(long pid) {
        try {
            return Path.of("/proc", Long.toString(pid), "cwd").toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the working directory of " + pid, e);
        }
    }

    private static void signal(String signal, List<Long> pids) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        run(command);
    }

    private static void run(List<String> command) {
        try {
            var process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(150, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output.trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command) + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Resumes anything still frozen (a campaign interrupted mid-fault) and heals the receiver. */
    @Override
    public void close() {
        if (!frozen.isEmpty()) {
            signal("CONT", List.copyOf(frozen));
            frozen.clear();
        }
        hostile.misbehave(HostileReceiver.Mode.HEALTHY);
    }
}
