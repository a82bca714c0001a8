package io.hookrelay.local;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Before deploy/local's first integration test: trains the AOT caches this build's service jars
 * still lack (ADR 0034), once, in the foreground. Every platform the tests start afterwards — here,
 * and in deploy/bench and deploy/observability, which start the same extracted jars — then starts
 * from them. Without it, each {@code bin/run-local} a test started began a background training
 * that the test stopped long before it finished, and every service started without a cache.
 * Only where failsafe sets {@code hookrelay.it.train-aot-caches} (deploy/local's pom), so unit
 * tests and a single IT run from an IDE do not pay for it. What it did goes to
 * {@code deploy/local/target/aot-training/training.log}; a failure costs speed, never the build.
 */
public class AotCachesFirst implements LauncherSessionListener {

    static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();
    static final List<String> SERVICES = List.of("api-gateway", "ingest-service", "delivery-service");
    /** A training run takes 15–25 s on an idle 2-core machine; one that hangs must not hold the build. */
    static final Duration TIMEOUT_EACH = Duration.ofMinutes(2);

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (!Boolean.getBoolean("hookrelay.it.train-aot-caches")) {
            return;
        }
        Path logs = REPOSITORY.resolve("deploy/local/target/aot-training");
        long start = System.nanoTime();
        try {
            Files.createDirectories(logs);
            try (var out = new PrintStream(Files.newOutputStream(logs.resolve("training.log")), true, StandardCharsets.UTF_8);
                    var jars = new ServiceJars(REPOSITORY, out)) {
                jars.trainMissing(SERVICES, logs, TIMEOUT_EACH);
                out.printf("AOT caches of %s present after %.1f s%n", SERVICES, (System.nanoTime() - start) / 1e9);
            }
        } catch (InterruptedException e) {
            // not passed on: the tests would start with their thread interrupted
            System.err.println("AotCachesFirst: interrupted; the services start without AOT caches");
        } catch (Exception e) {
            System.err.println("AotCachesFirst: no AOT caches trained (" + e + "); the services start without");
        }
    }
}
