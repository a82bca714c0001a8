package io.hookrelay.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.infra.Niceness;
import io.hookrelay.infra.Ports;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/run-local} as a user runs it: starts, becomes healthy, stops cleanly, keeps its data,
 * and leaves no process behind when it is killed.
 */
class RunLocalIT {

    static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();
    static final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path data;

    /** The children notice their launcher's death within a few seconds; their own graceful shutdown takes the rest. */
    static final Duration ORPHANS_GONE_WITHIN = Duration.ofSeconds(60);

    static final Pattern LISTENING = Pattern.compile("(?m)^  (postgres|kafka|ingest|delivery) +127\\.0\\.0\\.1:(\\d+)");

    /**
     * Two runs on one data directory: the first stopped as Ctrl-C would (SIGTERM), the second
     * killed with SIGKILL, so no shutdown hook of the launcher runs: every process it started,
     * PostgreSQL included, must end by itself and free its port (a test of its own before; one
     * run of the platform less for the build).
     */
    @Test
    void startsHealthyStopsCleanlyKeepsItsDataAndLeavesNothingBehindWhenKilled() throws Exception {
        int port = Ports.freePort();
        String uid = "kept-" + System.nanoTime();
        // the launcher's start-up wait, longer on a loaded machine (the property of ServiceLauncher)
        var slowMachine = Map.of("JAVA_TOOL_OPTIONS", "-Dhookrelay.local.startup-timeout=400");

        String token;
        try (var run = RunLocal.start(port, data, slowMachine)) {
            token = run.awaitReady();
            assertThat(get(port, "/api/v1/health/", null).statusCode()).isEqualTo(200);
            assertThat(post(port, "/api/v1/app", token, "{\"name\":\"kept\",\"uid\":\"" + uid + "\"}").statusCode())
                    .isEqualTo(201);

            List<ProcessHandle> children = run.process.descendants().toList();
            assertThat(children).hasSizeGreaterThanOrEqualTo(4);
            for (String service : List.of("api-gateway", "ingest-service", "delivery-service")) {
                assertThat(nicenessOfEveryThread(children, service)).as(service).allMatch(niceness -> niceness == launcherNiceness(run));
            }
            run.stop();

            assertThat(run.process.exitValue()).as("stopped by SIGTERM").isNotEqualTo(0);
            assertThat(children).noneMatch(ProcessHandle::isAlive);
            assertThat(Ports.isFree(port)).isTrue();
            assertThat(run.output()).contains("HookRelay local: stopped");
        }

        var deliveryAfterClients = new HashMap<>(slowMachine);
        deliveryAfterClients.put("HOOKRELAY_DELIVERY_NICENESS", "3");
        try (var again = RunLocal.start(port, data, deliveryAfterClients)) {
            assertThat(again.awaitReady()).as("the generated token is kept with the data").isEqualTo(token);
            assertThat(get(port, "/api/v1/app/" + uid, token).statusCode()).isEqualTo(200);
            List<ProcessHandle> running = again.process.descendants().toList();
            assertThat(nicenessOfEveryThread(running, "delivery-service"))
                    .as("HOOKRELAY_DELIVERY_NICENESS (ADR 0044)").allMatch(niceness -> niceness == Niceness.below(launcherNiceness(again), 3));
            assertThat(nicenessOfEveryThread(running, "ingest-service")).allMatch(niceness -> niceness == launcherNiceness(again));

            List<ProcessHandle> platform = new ArrayList<>(again.process.descendants().toList());
            platform.add(ProcessHandle.of(postmasterPid()).orElseThrow());
            List<Integer> ports = new ArrayList<>(List.of(port));
            LISTENING.matcher(again.output()).results().forEach(match -> ports.add(Integer.parseInt(match.group(2))));
            assertThat(ports).as("gateway, postgres, kafka, ingest, delivery").hasSize(5);
            assertThat(platform).as("sh watchdog, kafka, three services, postgres").hasSizeGreaterThanOrEqualTo(6);

            long killedAt = System.nanoTime();
            again.process.destroyForcibly();
            again.process.waitFor();
            boolean allGone = waitUntilGone(platform, ports);
            long seconds = Duration.ofNanos(System.nanoTime() - killedAt).toSeconds();

            System.out.printf("RunLocalIT: %d processes and %d ports of the platform gone %d s after SIGKILL of the launcher%n",
                    platform.size(), ports.size(), seconds);
            assertThat(allGone).as("processes still alive: %s; ports still taken: %s",
                    platform.stream().filter(ProcessHandle::isAlive).map(p -> p.pid() + " " + p.info().command().orElse("?")).toList(),
                    ports.stream().filter(taken -> !Ports.isFree(taken)).toList()).isTrue();
        }
    }

    /** Each thread's niceness in the JVM that runs {@code service}'s jar, one of {@code processes}. */
    static List<Integer> nicenessOfEveryThread(List<ProcessHandle> processes, String service) {
        ProcessHandle jvm = processes.stream()
                .filter(process -> runsJarOf(process, service))
                .collect(Collectors.collectingAndThen(Collectors.toList(), found -> {
                    assertThat(found).as("one JVM runs " + service).hasSize(1);
                    return found.getFirst();
                }));
        List<Integer> niceness = Niceness.ofEveryThread(jvm.pid());
        assertThat(niceness).as(service + "'s threads").hasSizeGreaterThan(10);
        return niceness;
    }

    /** The service itself, not a background run training its AOT cache (at the lowest priority). */
    private static boolean runsJarOf(ProcessHandle process, String service) {
        List<String> arguments = List.of(process.info().arguments().orElse(new String[0]));
        if (arguments.contains(ServiceJars.TRAINING_MARKER)) {
            return false;
        }
        int jar = arguments.indexOf("-jar");
        return jar >= 0 && jar + 1 < arguments.size() && arguments.get(jar + 1).contains(service);
    }

    private static int launcherNiceness(RunLocal run) {
        return Niceness.ofEveryThread(run.process.pid()).getFirst();
    }

    @Test
    void saysClearlyWhenThePortIsTaken() throws Exception {
        try (var taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            try (var run = RunLocal.start(taken.getLocalPort(), data)) {
                assertThat(run.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
                run.stop();

                assertThat(run.process.exitValue()).isEqualTo(2);
                assertThat(run.output()).contains("port " + taken.getLocalPort() + " is already in use");
            }
        }
    }

    private long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(data.resolve("postgres").resolve("postmaster.pid")).getFirst().trim());
    }

    private static boolean waitUntilGone(List<ProcessHandle> processes, List<Integer> ports) throws InterruptedException {
        long deadline = System.nanoTime() + ORPHANS_GONE_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (processes.stream().noneMatch(ProcessHandle::isAlive) && ports.stream().allMatch(Ports::isFree)) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    private static HttpResponse<String> get(int port, String path, String token) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(int port, String path, String token, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .header("authorization", "Bearer " + token)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One run of the script, its output collected as it goes. */
    static final class RunLocal implements AutoCloseable {
        final Process process;
        private final StringBuffer output = new StringBuffer();
        private final CompletableFuture<String> ready = new CompletableFuture<>();
        private final Thread reader;

        private RunLocal(Process process) {
            this.process = process;
            this.reader = Thread.ofVirtual().start(() -> {
                try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = reader.readLine()) != null; ) {
                        output.append(line).append('\n');
                        if (line.startsWith(LocalPlatform.READY)) {
                            ready.complete(line.replaceFirst(".*admin token: (\\S+).*", "$1"));
                        }
                    }
                } catch (IOException ignored) {
                    // process ended
                }
                ready.completeExceptionally(new IllegalStateException("run-local ended before it was ready:\n" + output));
            });
        }

        static RunLocal start(int port, Path data) throws IOException {
            return start(port, data, Map.of());
        }

        static RunLocal start(int port, Path data, Map<String, String> environment) throws IOException {
            var builder = new ProcessBuilder(REPOSITORY.resolve("bin/run-local").toString())
                    .directory(REPOSITORY.toFile())
                    .redirectErrorStream(true);
            builder.environment().put("HOOKRELAY_PORT", Integer.toString(port));
            builder.environment().put("HOOKRELAY_DATA", data.toString());
            builder.environment().remove("HOOKRELAY_ADMIN_TOKEN");
            builder.environment().putAll(environment);
            return new RunLocal(builder.start());
        }

        String awaitReady() throws Exception {
            return ready.get(600, TimeUnit.SECONDS);
        }

        String output() {
            return output.toString();
        }

        /** SIGTERM, as Ctrl-C or a service manager would (Process.destroy() would also close our end of its output). */
        void stop() throws InterruptedException {
            process.toHandle().destroy();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            reader.join(Duration.ofSeconds(10));
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                List<ProcessHandle> children = process.descendants().toList();
                stop();
                children.forEach(ProcessHandle::destroyForcibly);
            }
        }
    }
}
