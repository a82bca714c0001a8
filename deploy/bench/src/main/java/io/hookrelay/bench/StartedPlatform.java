package io.hookrelay.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A platform the bench starts itself: {@code bin/run-local} on a temporary data directory, a free
 * port and a generated admin token, stopped with SIGTERM (as Ctrl-C would) when the bench ends,
 * however it ends. The environment is inherited, so HOOKRELAY_*, SPRING_* and JDK_JAVA_OPTIONS
 * settings reach the services.
 */
final class StartedPlatform implements AutoCloseable {

    static final String READY = "HookRelay is ready:";
    /** bin/bench moves JDK_JAVA_OPTIONS here so it applies to the platform, not to the bench's own JVM. */
    static final String FORWARDED_JDK_OPTIONS = "HOOKRELAY_BENCH_JDK_JAVA_OPTIONS";

    private final Process process;
    private final Path data;
    private final boolean keepData;
    private final URI url;
    private final String token;
    private final ArrayDeque<String> tail = new ArrayDeque<>();

    private StartedPlatform(Process process, Path data, boolean keepData, URI url, String token) {
        this.process = process;
        this.data = data;
        this.keepData = keepData;
        this.url = url;
        this.token = token;
    }

    static StartedPlatform start(Path home, boolean noRateLimit, boolean keepData, Duration startup, PrintStream log) {
        return start(home, noRateLimit, keepData, startup, Map.of(), log);
    }

    /** @param settings extra environment for the platform (e.g. a shorter retry schedule), over the inherited one */
    static StartedPlatform start(Path home, boolean noRateLimit, boolean keepData, Duration startup,
            Map<String, String> settings, PrintStream log) {
        try {
            Path data = Files.createTempDirectory("hookrelay-bench-");
            int port = freePort();
            String token = "hr_bench_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
            var builder = new ProcessBuilder(home.resolve("bin/run-local").toString())
                    .directory(home.toFile())
                    .redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            String jdkOptions = Objects.requireNonNullElse(env.remove(FORWARDED_JDK_OPTIONS), env.getOrDefault("JDK_JAVA_OPTIONS", ""));
            // the launcher gives each service 120 s by default: too little on a loaded machine
            env.put("JDK_JAVA_OPTIONS", (jdkOptions + " -Dhookrelay.local.startup-timeout=" + startup.toSeconds()).trim());
            env.put("HOOKRELAY_DATA", data.toString());
            env.put("HOOKRELAY_PORT", Integer.toString(port));
            env.put("HOOKRELAY_ADMIN_TOKEN", token);
            if (noRateLimit) {
                env.put("HOOKRELAY_GATEWAY_RATELIMIT_ENABLED", "false");
            }
            env.putAll(settings);
            log.println("bench: starting bin/run-local (data " + data + ", port " + port + ") ...");
            var platform = new StartedPlatform(builder.start(), data, keepData,
                    URI.create("http://127.0.0.1:" + port), token);
            Runtime.getRuntime().addShutdownHook(new Thread(platform::close, "bench-stop-platform"));
            platform.awaitReady(startup.plusSeconds(120));
            log.println("bench: platform ready at " + platform.url + " (launcher pid " + platform.pid() + ")");
            return platform;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start bin/run-local", e);
        }
    }

    URI url() {
        return url;
    }

    String token() {
        return token;
    }

    Path dataDirectory() {
        return data;
    }

    long pid() {
        return process.pid();
    }

    private void awaitReady(Duration startup) {
        var ready = new CompletableFuture<Void>();
        Path logFile = data.resolve("run-local.log");
        Thread.ofPlatform().daemon().name("bench-run-local-output").start(() -> {
            try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                    var out = Files.newBufferedWriter(logFile)) {
                for (String line; (line = reader.readLine()) != null; ) {
                    out.write(line);
                    out.newLine();
                    out.flush();
                    remember(line);
                    if (line.startsWith(READY)) {
                        ready.complete(null);
                    }
                }
            } catch (IOException ignored) {
                // the process ended or the data directory went away
            }
            ready.completeExceptionally(new IllegalStateException("bin/run-local ended before it was ready:\n" + tail()));
        });
        try {
            ready.get(startup.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("the platform did not start: " + e.getMessage() + "\n" + tail(), e);
        }
    }

    private synchronized void remember(String line) {
        tail.addLast(line);
        if (tail.size() > 40) {
            tail.removeFirst();
        }
    }

    private synchronized String tail() {
        return String.join("\n", tail);
    }

    /** SIGTERM to the launcher, which stops the services, Kafka and PostgreSQL; then the data goes. */
    @Override
    public synchronized void close() {
        if (process.isAlive()) {
            List<ProcessHandle> children = process.descendants().toList();
            process.toHandle().destroy();
            try {
                if (!process.waitFor(90, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
        if (!keepData && Files.isDirectory(data)) {
            deleteQuietly(data);
        }
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temporary directory: the system cleans up what is left
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
