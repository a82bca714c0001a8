package io.hookrelay.local;

import io.hookrelay.infra.ChildProcess;
import io.hookrelay.infra.JvmOptions;
import io.hookrelay.infra.ParentWatchdog;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts a service as a child JVM, from the jar {@link ServiceJars} prepares (extracted, with its AOT
 * cache once trained), and waits until it reports healthy.
 */
final class ServiceLauncher implements AutoCloseable {

    /**
     * 120 s by default; {@code -Dhookrelay.local.startup-timeout=<seconds>} gives more on a machine so
     * loaded that a service's start alone takes minutes (a shared CI box), rather than failing there.
     */
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(Long.getLong("hookrelay.local.startup-timeout", 120));

    private final Path home;
    private final Path dataDirectory;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ServiceJars jars;
    private final Optional<Path> recordCachesTo;
    private final Map<String, Integer> niceness;

    ServiceLauncher(Path home, Path dataDirectory) {
        this(home, dataDirectory, System.out);
    }

    ServiceLauncher(Path home, Path dataDirectory, PrintStream out) {
        this(home, dataDirectory, Optional.empty(), out);
    }

    ServiceLauncher(Path home, Path dataDirectory, Optional<Path> recordCachesTo, PrintStream out) {
        this(home, dataDirectory, recordCachesTo, Map.of(), out);
    }

    /**
     * @param recordCachesTo where each service's JVM writes an AOT cache of what it ran when it
     *     exits ({@code <service>.aot}), for {@link TrafficTraining}; the services then start
     *     without a cache
     * @param niceness how much lower a service's CPU priority is than this process's, by service
     *     name (0 for one not named)
     */
    ServiceLauncher(Path home, Path dataDirectory, Optional<Path> recordCachesTo, Map<String, Integer> niceness,
            PrintStream out) {
        this.home = home;
        this.dataDirectory = dataDirectory;
        this.recordCachesTo = recordCachesTo;
        this.niceness = Map.copyOf(niceness);
        this.jars = new ServiceJars(home, out);
    }

    ChildProcess start(String service, List<String> arguments) {
        Path jar = jars.bootJar(service);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (./mvnw -DskipTests package)");
        }
        return ChildProcess.startJava(service, niceness.getOrDefault(service, 0), jvmArguments(service, jars.prepare(service)),
                arguments, JvmOptions.ENVIRONMENT, logs().resolve(service + ".log"));
    }

    /**
     * The JVM's settings (deploy/jvm/{@code service}.options and the GC log in the data directory),
     * the AOT cache if there is one, then the jar.
     */
    List<String> jvmArguments(String service, ServiceJars.Launch launch) {
        List<String> jvm = new ArrayList<>(JvmOptions.forProcess(home, logs(), service));
        watchdogAgent().ifPresent(agent -> jvm.add("-javaagent:" + agent));
        if (recordCachesTo.isPresent()) {
            jvm.add(ServiceJars.TRAINING_MARKER);
            jvm.add("-XX:AOTCacheOutput=" + recordCachesTo.get().resolve(service + ".aot"));
        } else {
            launch.aotCache().ifPresent(cache -> jvm.add("-XX:AOTCache=" + cache));
        }
        jvm.add("-jar");
        jvm.add(launch.jar().toString());
        return jvm;
    }

    /** Makes the services' missing AOT caches in the background, for their next starts ({@link ServiceJars}). */
    void trainMissingCachesInBackground(List<String> services) {
        jars.trainMissingInBackground(services, logs());
    }

    /** Stops a training run in progress. */
    @Override
    public void close() {
        jars.close();
    }

    private Path logs() {
        return dataDirectory.resolve("logs");
    }

    /** Polls {@code url} until it answers 200, the process dies, or the start-up time runs out. */
    void awaitHealthy(ChildProcess process, URI url) {
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        var request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(3)).GET().build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(process.name() + " exited during start-up (log: " + process.log()
                        + "):\n" + process.logTail(40));
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + process.name(), e);
            }
            sleep(Duration.ofMillis(250));
        }
        throw new IllegalStateException(process.name() + " was not healthy within " + STARTUP_TIMEOUT.toSeconds()
                + " s (log: " + process.log() + "):\n" + process.logTail(40));
    }

    static Optional<Path> watchdogAgent() {
        try {
            Path location = Path.of(ParentWatchdog.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(location) ? Optional.of(location) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
