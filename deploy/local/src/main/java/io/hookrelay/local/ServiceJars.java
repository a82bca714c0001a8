package io.hookrelay.local;

import io.hookrelay.infra.ChildProcess;
import io.hookrelay.infra.Directories;
import io.hookrelay.infra.JvmOptions;
import io.hookrelay.infra.ParentWatchdog;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The service jars as a JVM starts them fastest (ADR 0034): Spring Boot's jar extracted into a plain
 * class path (its nested jars are slow to read, and the JVM cannot cache classes loaded from them),
 * and an AOT cache (JEP 483/514) of the classes a start loads and links, made by a training run in
 * the background once the platform is up and used by every later start of the same jar, supervised
 * restarts included.
 *
 * <p>Both live in {@code <home>/deploy/local/target/services/<service>-<key>/}, where the key is a
 * digest of what decides whether a cache fits: the jar's bytes, the service's JVM argument file and
 * the JDK. A new build, option or JDK gets a directory of its own; {@code ./mvnw clean} removes them.
 * Anything that goes wrong here costs speed, never the start: the service then runs from its jar as
 * built, and a cache the JVM cannot use is ignored by it ({@code -XX:AOTMode=auto}, the default).
 */
final class ServiceJars implements AutoCloseable {

    /** What to start: a jar, and the AOT cache made for it if there is one yet. */
    record Launch(Path jar, Optional<Path> aotCache) {}

    /**
     * The name (after the service's) of a cache trained under traffic ({@link TrafficTraining}, ADR
     * 0037): preferred over the one a start alone trains, whose classes it holds too, with the
     * method profiles of the hot paths besides.
     */
    static final String TRAFFIC_CACHE = ".traffic.aot";
    /** On a training run's command line, so tools that find a service by its command line skip it. */
    static final String TRAINING_MARKER = "-Dhookrelay.aot-training=true";
    private static final String COMPLETE = ".complete";
    private static final long EXTRACT_TIMEOUT_SECONDS = 300;
    /** How long a training run in the background may take (at the lowest priority, on a busy machine). */
    static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(15);

    private final Path home;
    private final Path root;
    private final PrintStream out;
    private final ConcurrentHashMap<String, String> keys = new ConcurrentHashMap<>();
    private volatile Process training;
    private volatile boolean closed;

    ServiceJars(Path home, PrintStream out) {
        this.home = home;
        this.root = home.resolve("deploy/local/target/services");
        this.out = out;
    }

    /** The jar {@code ./mvnw package} builds for {@code service}. */
    Path bootJar(String service) {
        return home.resolve(service).resolve("target").resolve(service + ".jar");
    }

    /**
     * The jar to start {@code service} from: the extracted one (extracted now if need be) with its AOT
     * cache when trained; the Boot jar itself if extracting failed.
     */
    synchronized Launch prepare(String service) {
        Path bootJar = bootJar(service);
        try {
            Path directory = directory(service);
            Path jar = directory.resolve(service + ".jar");
            if (!Files.isRegularFile(directory.resolve(COMPLETE))) {
                extract(bootJar, directory);
                if (!Files.isRegularFile(directory.resolve(COMPLETE)) || !Files.isRegularFile(jar)) {
                    throw new IOException(directory + " holds no complete extraction");
                }
                pruneOlderThanTheLastTwo(service);
            }
            Path underTraffic = directory.resolve(service + TRAFFIC_CACHE);
            Path startOnly = directory.resolve(service + ".aot");
            return new Launch(jar, Stream.of(underTraffic, startOnly).filter(Files::isRegularFile).findFirst());
        } catch (IOException | RuntimeException e) {
            out.println("  " + service + ": starting from " + bootJar + " (" + e.getMessage() + ")");
            return new Launch(bootJar, Optional.empty());
        }
    }

    /**
     * Makes the AOT caches still missing, one service after another, on a thread of its own and at
     * the lowest CPU priority ({@code nice -n 19}); see {@link #trainMissing}. Stopped with the platform.
     */
    void trainMissingInBackground(List<String> services, Path logs) {
        Thread.ofPlatform().name("run-local-aot-training").daemon().start(() -> {
            try {
                trainMissing(services, logs, TRAINING_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // stopped with the platform
            }
        });
    }

    /**
     * Makes the AOT caches still missing, one service after another, and returns when done: each from
     * a training run that starts the service without a database or Kafka and exits once its context
     * is refreshed (the same run and arguments as the container images', {@code deploy/images/training/}),
     * at the lowest CPU priority. Logged to {@code <logs>/<service>-aot-training.log}. A service whose
     * training fails or takes longer than {@code timeoutEach} is said so and skipped: it starts
     * without a cache, as before.
     */
    void trainMissing(List<String> services, Path logs, Duration timeoutEach) throws InterruptedException {
        for (String service : services) {
            if (closed) {
                return;
            }
            try {
                train(service, logs, timeoutEach);
            } catch (IOException | RuntimeException e) {
                out.println("run-local: no AOT cache for " + service + " this time: " + e.getMessage());
            }
        }
    }

    private void train(String service, Path logs, Duration timeout) throws IOException, InterruptedException {
        Launch launch = prepare(service);
        Path arguments = home.resolve("deploy/images/training").resolve(service + ".args");
        if (launch.aotCache().isPresent() || !launch.jar().startsWith(root) || !Files.isRegularFile(arguments)) {
            return;
        }
        Path directory = launch.jar().getParent();
        removeAbandoned(directory, name -> name.startsWith("training-"));
        Path staging = Files.createTempDirectory(directory, "training-");
        try {
            Path log = logs.resolve(service + "-aot-training.log");
            Files.createDirectories(logs);
            List<String> command = new ArrayList<>();
            if (Files.isExecutable(Path.of("/bin/sh")) && Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                command.addAll(DIES_WITH_THIS_PROCESS);
            }
            if (Files.isExecutable(Path.of("/usr/bin/nice"))) {
                command.addAll(List.of("/usr/bin/nice", "-n", "19"));
            }
            command.addAll(trainingCommand(service, launch.jar(), staging.resolve(service + ".aot"),
                    Files.readAllLines(arguments).stream().map(String::trim).filter(line -> !line.isEmpty()).toList()));
            Process process;
            synchronized (this) {
                if (closed) {
                    return;
                }
                process = new ProcessBuilder(command)
                        .directory(staging.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start(); // its stdin stays open: the pipe whose end tells the wrapper we are gone
                training = process;
            }
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            stop(process);
            synchronized (this) {
                training = null;
                if (closed) {
                    return;
                }
            }
            Path cache = staging.resolve(service + ".aot");
            if (!finished || process.exitValue() != 0 || !Files.isRegularFile(cache) || Files.size(cache) == 0) {
                throw new IOException("the training run " + (finished ? "failed, exit " + process.exitValue()
                        : "took longer than " + timeout.toSeconds() + " s") + " (" + log + ")");
            }
            Files.move(cache, directory.resolve(service + ".aot"), StandardCopyOption.ATOMIC_MOVE);
            out.println("run-local: " + service + " starts from its AOT cache from now on");
        } finally {
            Directories.deleteRecursively(staging);
        }
    }

    /**
     * The training run and the JVM it starts at its exit to assemble the cache (which runs without
     * agents, so without the watchdog) get a process group of their own ({@code setsid}); when this
     * process ends, however it ends, the kernel closes the pipe on the wrapper's stdin, and the
     * wrapper's reader of it ({@code cat}, given the pipe explicitly: a background list's stdin is
     * /dev/null) kills the group. The wrapper's exit status is the training run's.
     */
    static final List<String> DIES_WITH_THIS_PROCESS = List.of("/bin/sh", "-c",
            "exec 3<&0; /usr/bin/setsid \"$@\" & job=$!; { cat <&3 > /dev/null; kill -9 -$job 2> /dev/null; } & "
                    + "exec 3<&-; wait $job",
            "sh");

    /** Ends a training run (and its group, through its wrapper) and waits for it. */
    private static void stop(Process process) throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already closed
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The training run: the service's own JVM options, so the cache fits the runs that use it. */
    List<String> trainingCommand(String service, Path jar, Path cache, List<String> trainingArguments) {
        List<String> command = new ArrayList<>();
        command.add(ChildProcess.currentJava());
        command.add(TRAINING_MARKER);
        command.add("-D" + ParentWatchdog.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
        command.add(JvmOptions.argumentFile(home, service));
        ServiceLauncher.watchdogAgent().ifPresent(agent -> command.add("-javaagent:" + agent));
        command.add("-XX:AOTCacheOutput=" + cache);
        command.add("-Dspring.context.exit=onRefresh");
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(trainingArguments);
        return command;
    }

    /** Whether {@code service}'s jar as built now has a cache trained under traffic. */
    boolean trainedUnderTraffic(String service) throws IOException {
        return Files.isRegularFile(directory(service).resolve(service + TRAFFIC_CACHE));
    }

    /**
     * Puts a cache trained under traffic in place for every later start of {@code service}'s jar
     * (moved whole: a start sees the old cache or the new one, never half of one).
     */
    void installTrafficCache(String service, Path cache) throws IOException {
        Files.move(cache, directory(service).resolve(service + TRAFFIC_CACHE), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** Stops a training run in progress; its half-made cache is never used. */
    @Override
    public void close() {
        Process running;
        synchronized (this) {
            closed = true;
            running = training;
        }
        if (running != null) {
            try {
                stop(running);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    Path directory(String service) throws IOException {
        return root.resolve(service + "-" + key(service));
    }

    /** A digest of the jar's bytes, the service's JVM argument file and the JDK: what a cache must match. */
    private String key(String service) throws IOException {
        Path jar = bootJar(service);
        Path options = home.resolve(JvmOptions.DIRECTORY).resolve(service + ".options");
        String stamp = jar + "|" + Files.size(jar) + "|" + Files.getLastModifiedTime(jar).toMillis() + "|"
                + (Files.exists(options) ? Files.getLastModifiedTime(options).toMillis() : 0);
        String known = keys.get(stamp);
        if (known != null) {
            return known;
        }
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(jar)) {
                byte[] buffer = new byte[1 << 16];
                for (int read; (read = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, read);
                }
            }
            if (Files.exists(options)) {
                digest.update(Files.readAllBytes(options));
            }
            digest.update(Runtime.version().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String key = HexFormat.of().formatHex(digest.digest(), 0, 6);
            keys.put(stamp, key);
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every build with other bytes gets a directory (~170 MB with its cache): only the two newest of a
     * service are kept, the one just made and the one a platform still running may use.
     */
    private void pruneOlderThanTheLastTwo(String service) {
        try (Stream<Path> directories = Files.list(root)) {
            removeAbandoned(root, name -> name.startsWith(service + "-") && name.contains(".extracting-"));
            List<Path> old = directories
                    .filter(path -> path.getFileName().toString().matches(java.util.regex.Pattern.quote(service) + "-[0-9a-f]{12}"))
                    .sorted(Comparator.comparing(ServiceJars::lastModified).reversed())
                    .skip(2)
                    .toList();
            for (Path directory : old) {
                Directories.deleteRecursively(directory);
            }
        } catch (IOException | UncheckedIOException e) {
            out.println("  " + service + ": could not remove old extracted jars: " + e.getMessage());
        }
    }

    /**
     * Staging directories ({@code staging} tells them by name) left by a launcher that was killed:
     * older than any training run may take, so no launcher still works in them.
     */
    private static void removeAbandoned(Path directory, java.util.function.Predicate<String> staging) throws IOException {
        long before = System.currentTimeMillis() - TRAINING_TIMEOUT.toMillis();
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path entry : entries.toList()) {
                if (staging.test(entry.getFileName().toString()) && lastModified(entry).toMillis() < before) {
                    Directories.deleteRecursively(entry);
                }
            }
        }
    }

    private static java.nio.file.attribute.FileTime lastModified(Path path) {
        try {
            return Files.getLastModifiedTime(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Spring Boot's own extraction ({@code -Djarmode=tools extract}) into a directory moved into place whole. */
    private static void extract(Path bootJar, Path directory) throws IOException {
        Files.createDirectories(directory.getParent());
        Path staging = Files.createTempDirectory(directory.getParent(), directory.getFileName() + ".extracting-");
        try {
            Process process = new ProcessBuilder(ChildProcess.currentJava(), "-Djarmode=tools", "-jar", bootJar.toString(),
                            "extract", "--force", "--destination", staging.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try {
                if (!process.waitFor(EXTRACT_TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    process.destroyForcibly();
                    throw new IOException("extracting " + bootJar + " failed");
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while extracting " + bootJar, e);
            }
            Files.writeString(staging.resolve(COMPLETE), bootJar.toString());
            if (!Files.isRegularFile(directory.resolve(COMPLETE))) {
                Directories.deleteRecursively(directory); // left by an extraction that never completed
                try {
                    Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                    // another launcher extracted the same jar first
                }
            }
        } finally {
            Directories.deleteRecursively(staging);
        }
    }
}
