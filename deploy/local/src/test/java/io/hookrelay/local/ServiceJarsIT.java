package io.hookrelay.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jars bin/run-local starts the services from (ADR 0034), with the real api-gateway jar of this
 * build: extracted once per jar, an AOT cache trained for it that the JVM accepts, a new key when
 * the JVM options change, and the jar as built when extraction fails.
 */
class ServiceJarsIT {

    private static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();
    private static final String SERVICE = "api-gateway";

    @TempDir
    Path home;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @Test
    void extractsOnceTrainsACacheTheJvmAcceptsAndStartsAfreshWhenTheOptionsChange() throws Exception {
        homeWith(REPOSITORY.resolve(SERVICE + "/target/" + SERVICE + ".jar"));
        try (var jars = new ServiceJars(home, out)) {
            ServiceJars.Launch first = jars.prepare(SERVICE);
            assertThat(first.jar()).isRegularFile().hasFileName(SERVICE + ".jar")
                    .startsWith(home.resolve("deploy/local/target/services"));
            assertThat(first.jar().resolveSibling("lib")).isDirectory();
            assertThat(first.aotCache()).isEmpty();
            long extractedAt = Files.getLastModifiedTime(first.jar()).toMillis();

            assertThat(jars.prepare(SERVICE).jar()).as("the same jar, not extracted again").isEqualTo(first.jar());
            assertThat(Files.getLastModifiedTime(first.jar()).toMillis()).isEqualTo(extractedAt);

            jars.trainMissingInBackground(List.of(SERVICE), home.resolve("logs"));
            Path cache = first.jar().resolveSibling(SERVICE + ".aot");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (!Files.exists(cache) && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertThat(cache).as("trained (log: %s)", home.resolve("logs/" + SERVICE + "-aot-training.log")).isRegularFile();
            assertThat(jars.prepare(SERVICE).aotCache()).contains(cache);
            try (var entries = Files.list(first.jar().getParent())) {
                assertThat(entries.map(path -> path.getFileName().toString())).noneMatch(name -> name.startsWith("training-"));
            }
            long ended = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!trainingProcesses().isEmpty() && System.nanoTime() < ended) {
                Thread.sleep(100);
            }
            assertThat(trainingProcesses()).as("the training run and its wrapper have ended").isEmpty();

            // -XX:AOTMode=on: the JVM refuses to start unless it can use the cache with these options
            assertThat(startsToRefresh(jars, "-XX:AOTMode=on", "-XX:AOTCache=" + cache)).isZero();

            Files.writeString(home.resolve("deploy/jvm/" + SERVICE + ".options"), "\n-Xss1m\n", java.nio.file.StandardOpenOption.APPEND);
            ServiceJars.Launch changed = jars.prepare(SERVICE);
            assertThat(changed.jar().getParent()).as("other options: another key").isNotEqualTo(first.jar().getParent());
            assertThat(changed.aotCache()).isEmpty();
            assertThat(first.jar()).as("the last two are kept").exists();

            Files.writeString(home.resolve("deploy/jvm/" + SERVICE + ".options"), "\n-Xss2m\n", java.nio.file.StandardOpenOption.APPEND);
            ServiceJars.Launch third = jars.prepare(SERVICE);
            assertThat(third.jar()).exists();
            assertThat(changed.jar()).exists();
            assertThat(first.jar().getParent()).as("older ones are removed").doesNotExist();
        }
    }

    @Test
    void closingStopsATrainingRunAndLeavesNoProcessBehind() throws Exception {
        homeWith(REPOSITORY.resolve(SERVICE + "/target/" + SERVICE + ".jar"));
        var jars = new ServiceJars(home, out);
        ServiceJars.Launch launch = jars.prepare(SERVICE);
        jars.trainMissingInBackground(List.of(SERVICE), home.resolve("logs"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (trainingProcesses().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(trainingProcesses()).as("a training run started").isNotEmpty();

        jars.close();

        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!trainingProcesses().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(trainingProcesses()).as("no training process left").isEmpty();
        assertThat(launch.jar().resolveSibling(SERVICE + ".aot")).as("no half-made cache").doesNotExist();
        try (var entries = Files.list(launch.jar().getParent())) {
            assertThat(entries.map(path -> path.getFileName().toString())).noneMatch(name -> name.startsWith("training-"));
        }
    }

    @Test
    void aCacheTrainedUnderTrafficIsPreferredAndLeavesNothingToTrainAtStart() throws Exception {
        homeWith(REPOSITORY.resolve(SERVICE + "/target/" + SERVICE + ".jar"));
        try (var jars = new ServiceJars(home, out)) {
            Path jar = jars.prepare(SERVICE).jar();
            Path startOnly = Files.writeString(jar.resolveSibling(SERVICE + ".aot"), "a start-only cache");
            assertThat(jars.trainedUnderTraffic(SERVICE)).isFalse();
            assertThat(jars.prepare(SERVICE).aotCache()).contains(startOnly);

            jars.installTrafficCache(SERVICE, Files.writeString(home.resolve("recorded.aot"), "a cache recorded under traffic"));

            Path underTraffic = jar.resolveSibling(SERVICE + ServiceJars.TRAFFIC_CACHE);
            assertThat(jars.trainedUnderTraffic(SERVICE)).isTrue();
            assertThat(jars.prepare(SERVICE).aotCache()).contains(underTraffic);
            assertThat(underTraffic).hasContent("a cache recorded under traffic");
            assertThat(home.resolve("recorded.aot")).as("moved, not copied").doesNotExist();

            Files.delete(startOnly);
            jars.trainMissing(List.of(SERVICE), home.resolve("logs"), Duration.ofMinutes(2));
            assertThat(startOnly).as("no start-only training beside a cache trained under traffic").doesNotExist();
            assertThat(home.resolve("logs/" + SERVICE + "-aot-training.log")).doesNotExist();
        }
    }

    /** Every process on the machine a training run of this JVM started (the wrapper, the JVM, its cache assembly). */
    private static List<ProcessHandle> trainingProcesses() {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().arguments().map(arguments -> String.join(" ", arguments)).orElse("")
                        .contains(ServiceJars.TRAINING_MARKER))
                .filter(process -> process.info().arguments().map(arguments -> String.join(" ", arguments)).orElse("")
                        .contains("-Dhookrelay.parent-pid=" + ProcessHandle.current().pid()))
                .toList();
    }

    @Test
    void startsFromTheJarAsBuiltWhenItCannotBeExtracted() throws Exception {
        Path broken = Files.writeString(home.resolve("broken.jar"), "not a jar");
        homeWith(broken);
        try (var jars = new ServiceJars(home, out)) {
            ServiceJars.Launch launch = jars.prepare(SERVICE);

            assertThat(launch.jar()).isEqualTo(home.resolve(SERVICE + "/target/" + SERVICE + ".jar"));
            assertThat(launch.aotCache()).isEmpty();
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains(SERVICE + ": starting from");
        }
    }

    /** A home like the repository: the jar, the service's JVM options and its training arguments. */
    private void homeWith(Path jar) throws Exception {
        Files.createDirectories(home.resolve(SERVICE + "/target"));
        Files.copy(jar, home.resolve(SERVICE + "/target/" + SERVICE + ".jar"));
        Files.createDirectories(home.resolve("deploy/jvm"));
        Files.copy(REPOSITORY.resolve("deploy/jvm/" + SERVICE + ".options"), home.resolve("deploy/jvm/" + SERVICE + ".options"));
        Files.createDirectories(home.resolve("deploy/images/training"));
        Files.copy(REPOSITORY.resolve("deploy/images/training/" + SERVICE + ".args"),
                home.resolve("deploy/images/training/" + SERVICE + ".args"));
    }

    /** The training command's JVM, with {@code extra} options, run until Spring's context is refreshed. */
    private int startsToRefresh(ServiceJars jars, String... extra) throws Exception {
        ServiceJars.Launch launch = jars.prepare(SERVICE);
        List<String> training = jars.trainingCommand(SERVICE, launch.jar(), home.resolve("unused.aot"),
                Files.readAllLines(home.resolve("deploy/images/training/" + SERVICE + ".args")));
        List<String> command = new ArrayList<>();
        for (String argument : training) {
            if (argument.startsWith("-XX:AOTCacheOutput=")) {
                command.addAll(List.of(extra));
            } else {
                command.add(argument);
            }
        }
        Path log = home.resolve("logs/refresh.log");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("started in time").isTrue();
        assertThat(process.exitValue()).as(Files.readString(log)).isZero();
        return process.exitValue();
    }
}
