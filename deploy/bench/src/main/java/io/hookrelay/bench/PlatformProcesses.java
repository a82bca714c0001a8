package io.hookrelay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the platform's processes by role. The launcher's child JVMs carry
 * {@code -Dhookrelay.parent-pid=<launcher pid>} and their jar (or the Kafka broker's main class) on
 * their command line; PostgreSQL is the postmaster named in its data directory's
 * {@code postmaster.pid} plus its backends (pg_ctl detaches it from the launcher). Without a
 * launcher pid (a platform the bench did not start) the first JVM running each jar is taken.
 */
final class PlatformProcesses {

    static final String GATEWAY = "api-gateway";
    static final String INGEST = "ingest-service";
    static final String DELIVERY = "delivery-service";
    static final String KAFKA = "kafka";
    static final String POSTGRES = "postgresql";
    static final String BENCH = "bench (load generator + receiver)";
    static final List<String> ROLES = List.of(GATEWAY, INGEST, DELIVERY, KAFKA, POSTGRES, BENCH);

    private final ProcFs proc;
    private final Optional<Long> launcherPid;
    private final Optional<Path> dataDirectory;

    PlatformProcesses(ProcFs proc, Optional<Long> launcherPid, Optional<Path> dataDirectory) {
        this.proc = proc;
        this.launcherPid = launcherPid;
        this.dataDirectory = dataDirectory;
    }

    /** Role to the pids that make it up now (a role with none is left out; PostgreSQL's postmaster first). */
    Map<String, List<Long>> find() {
        Map<String, List<Long>> roles = new LinkedHashMap<>();
        String parentFlag = launcherPid.map(pid -> "-Dhookrelay.parent-pid=" + pid + " ").orElse(null);
        Optional<Long> postmaster = postmaster();
        for (long pid : proc.pids()) {
            if (postmaster.isPresent() && (pid == postmaster.get() || isChildOf(pid, postmaster.get()))) {
                List<Long> pids = roles.computeIfAbsent(POSTGRES, role -> new ArrayList<>());
                // the postmaster first: the sampler adds the CPU time of the backends it reaped
                pids.add(pid == postmaster.get() ? 0 : pids.size(), pid);
                continue;
            }
            Optional<String> command = proc.commandLine(pid);
            if (command.isEmpty() || parentFlag != null && !(command.get() + " ").contains(parentFlag)) {
                continue;
            }
            roleOf(command.get()).ifPresent(role -> {
                List<Long> pids = roles.computeIfAbsent(role, r -> new ArrayList<>());
                if (parentFlag != null || pids.isEmpty()) {
                    pids.add(pid);
                }
            });
        }
        roles.put(BENCH, List.of(ProcessHandle.current().pid()));
        return roles;
    }

    /**
     * The launcher of the platform whose data directory is {@code data}: its Kafka broker's command
     * line names {@code <data>/kafka/} and carries the launcher's pid.
     */
    static Optional<Long> launcherOf(ProcFs proc, Path data) {
        String kafkaDirectory = data.toAbsolutePath().normalize().resolve("kafka") + "/";
        for (long pid : proc.pids()) {
            Optional<String> command = proc.commandLine(pid);
            if (command.isPresent() && command.get().contains("KafkaBrokerMain") && command.get().contains(kafkaDirectory)) {
                var matcher = java.util.regex.Pattern.compile("-Dhookrelay\\.parent-pid=(\\d+)").matcher(command.get());
                if (matcher.find()) {
                    return Optional.of(Long.parseLong(matcher.group(1)));
                }
            }
        }
        return Optional.empty();
    }

    static Optional<String> roleOf(String commandLine) {
        // a training run of an AOT cache (bin/run-local, ADR 0034) starts a service's jar too, and ends
        if (!commandLine.contains("java") || commandLine.contains("-Dhookrelay.aot-training")) {
            return Optional.empty();
        }
        for (String service : List.of(GATEWAY, INGEST, DELIVERY)) {
            if (commandLine.contains(service + ".jar")) {
                return Optional.of(service);
            }
        }
        return commandLine.contains("KafkaBrokerMain") ? Optional.of(KAFKA) : Optional.empty();
    }

    /**
     * The AOT cache each service's command line asks for: one trained under traffic (ADR 0037), one
     * trained at start only (ADR 0034), or none. A cache the JVM finds unfit it ignores silently, so
     * this is what was asked, not proof of use. A fresh start without the first takes a minute more
     * to warm up, which every figure after a short warm-up shows.
     */
    Map<String, String> aotCaches() {
        Map<String, String> caches = new LinkedHashMap<>();
        find().forEach((role, pids) -> {
            if (List.of(GATEWAY, INGEST, DELIVERY).contains(role)) {
                caches.put(role, proc.commandLine(pids.getFirst()).map(PlatformProcesses::aotCacheOf).orElse("unknown"));
            }
        });
        return caches;
    }

    static String aotCacheOf(String commandLine) {
        var cache = java.util.regex.Pattern.compile("-XX:AOTCache=(\\S+)").matcher(commandLine);
        if (!cache.find()) {
            return "none";
        }
        return cache.group(1).endsWith(".traffic.aot") ? "trained under traffic" : "trained at start only";
    }

    private boolean isChildOf(long pid, long parent) {
        return proc.stat(pid).map(stat -> stat.parentPid() == parent).orElse(false);
    }

    private Optional<Long> postmaster() {
        if (dataDirectory.isEmpty()) {
            return Optional.empty();
        }
        Path pidFile = dataDirectory.get().resolve("postgres").resolve("postmaster.pid");
        try {
            return Optional.of(Long.parseLong(Files.readAllLines(pidFile).getFirst().trim()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
