package io.hookrelay.local;

import io.hookrelay.infra.ChildProcess;
import io.hookrelay.infra.JvmOptions;
import io.hookrelay.infra.ParentWatchdog;
import java.io.IOException;
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

/** Starts a Spring Boot service jar as a child JVM and waits until it reports healthy. */
final class ServiceLauncher {

    /**
     * 120 s by default; {@code -Dhookrelay.local.startup-timeout=<seconds>} gives more on a machine so
     * loaded that a service's start alone takes minutes (a shared CI box), rather than failing there.
     */
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(Long.getLong("hookrelay.local.startup-timeout", 120));

    private final Path home;
    private final Path dataDirectory;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    ServiceLauncher(Path home, Path dataDirectory) {
        this.home = home;
        this.dataDirectory = dataDirectory;
    }

    ChildProcess start(String service, List<String> arguments) {
        Path jar = home.resolve(service).resolve("target").resolve(service + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (./mvnw -DskipTests package)");
        }
        return ChildProcess.startJava(
                service, jvmArguments(service, jar), arguments, JvmOptions.ENVIRONMENT, logs().resolve(service + ".log"));
    }

    /** The JVM's settings (deploy/jvm/{@code service}.options and the GC log in the data directory), then the jar. */
    List<String> jvmArguments(String service, Path jar) {
        List<String> jvm = new ArrayList<>(JvmOptions.forProcess(home, logs(), service));
        watchdogAgent().ifPresent(agent -> jvm.add("-javaagent:" + agent));
        jvm.add("-jar");
        jvm.add(jar.toString());
        return jvm;
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

    private static java.util.Optional<Path> watchdogAgent() {
        try {
            Path location = Path.of(ParentWatchdog.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(location) ? java.util.Optional.of(location) : java.util.Optional.empty();
        } catch (Exception e) {
            return java.util.Optional.empty();
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
