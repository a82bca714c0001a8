package io.hookrelay.local;

import io.hookrelay.infra.ChildProcess;
import io.hookrelay.infra.Ports;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link LocalPlatform} for every end-to-end class that only sends traffic: starting and
 * stopping PostgreSQL, Kafka and three service JVMs costs about a minute per class, most of what
 * those classes took (ADR 0023). A class asks for it with {@code @ExtendWith(SharedPlatform.Extension.class)}
 * and a {@code SharedPlatform} parameter of its {@code @BeforeAll}; the first class starts it, the
 * root extension context closes it when the test JVM's run ends.
 *
 * <p>What the classes share, so each must keep to its own applications, endpoints, tokens and
 * receivers, and never count something platform-wide: the admin token, a raised rate limit (the
 * hostile-input test sends a thousand requests in seconds), and tracing to an in-process OTLP
 * collector with every trace sampled (a trace is told apart by its id).
 *
 * <p>A class may kill a service and let the platform's supervisor bring it back
 * ({@code SupervisionIT}): it must leave the platform whole, and every hand-over checks that it is
 * ({@link #awaitWhole}), so a class never starts on a platform an earlier class broke. Classes
 * that kill the launcher, Kafka or PostgreSQL, stop the platform, or need settings the others
 * cannot live with, start their own.
 */
final class SharedPlatform implements AutoCloseable {

    static final String ADMIN_TOKEN = "shared-e2e-admin-token";
    static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();
    static final List<String> SERVICES = List.of("api-gateway", "ingest-service", "delivery-service");
    /**
     * How long a hand-over waits for a service that is still coming back (a supervisor restart
     * takes one JVM start; a class that kills one waits for it itself, so this is a margin).
     */
    static final Duration HANDOVER_WAIT = Duration.ofSeconds(120);
    private static final HttpClient HEALTH = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedPlatform.class);

    private final LocalPlatform platform;
    private final OtlpCollector collector;
    private final Path data;
    private final String gateway;

    private SharedPlatform(LocalPlatform platform, OtlpCollector collector, Path data, String gateway) {
        this.platform = platform;
        this.collector = collector;
        this.data = data;
        this.gateway = gateway;
    }

    /** Hands the shared platform to a {@code @BeforeAll}, starting it for the first class that asks. */
    static final class Extension implements ParameterResolver {

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == SharedPlatform.class;
        }

        @Override
        public SharedPlatform resolveParameter(ParameterContext parameter, ExtensionContext context) {
            // the root store outlives every class of the run and closes what it holds (AutoCloseable) at its end
            SharedPlatform shared = context.getRoot().getStore(NAMESPACE)
                    .computeIfAbsent(Attempt.class, key -> Attempt.start(), Attempt.class)
                    .platform();
            shared.awaitWhole(HANDOVER_WAIT);
            return shared;
        }
    }

    /**
     * The one start of the run, kept whether it worked or not: a platform that could not start
     * fails every class that shares it with the same cause, instead of each class waiting for
     * another start that a loaded machine would fail the same way.
     */
    private record Attempt(SharedPlatform started, RuntimeException failure) implements AutoCloseable {

        static Attempt start() {
            try {
                return new Attempt(SharedPlatform.start(), null);
            } catch (RuntimeException e) {
                return new Attempt(null, e);
            }
        }

        SharedPlatform platform() {
            if (failure != null) {
                throw new IllegalStateException("the shared platform did not start: " + failure.getMessage(), failure);
            }
            return started;
        }

        @Override
        public void close() {
            if (started != null) {
                started.close();
            }
        }
    }

    /** {@code http://127.0.0.1:port} of the gateway. */
    String gateway() {
        return gateway;
    }

    int gatewayPort() {
        return Integer.parseInt(gateway.substring(gateway.lastIndexOf(':') + 1));
    }

    /** JDBC URL of the platform's database (user postgres, no password). */
    String jdbcUrl() {
        return platform.jdbcUrl();
    }

    /** The process of a service running now; it changes when the supervisor restarts the service. */
    ChildProcess currentProcess(String service) {
        return platform.currentProcess(service);
    }

    /** How many times the supervisor restarted {@code service} in this run (count from your own start). */
    int restarts(String service) {
        return platform.restarts(service);
    }

    URI ingestUri() {
        return platform.ingestUri();
    }

    URI deliveryUri() {
        return platform.deliveryUri();
    }

    /** What the launcher printed so far: the supervisor's "exited with status" and "restarted" lines. */
    String launcherOutput() {
        try {
            return Files.readString(data.resolve("launcher.out"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until every service is running and answers its health check, and fails with what is
     * missing if that takes longer than {@code atMost}: what a class that killed a service owes
     * the classes after it.
     */
    void awaitWhole(Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        List<String> missing = missing();
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(250));
            missing = missing();
        }
        if (!missing.isEmpty()) {
            throw new AssertionError("the shared platform is not whole after " + atMost.toSeconds() + " s: "
                    + missing + " (see " + data.resolve("launcher.out") + ")");
        }
    }

    private List<String> missing() {
        var missing = new ArrayList<String>();
        for (String service : SERVICES) {
            if (!platform.currentProcess(service).isAlive()) {
                missing.add(service + " not running");
            }
        }
        Map<String, URI> health = Map.of(
                "ingest-service", platform.ingestUri().resolve("/actuator/health"),
                "delivery-service", platform.deliveryUri().resolve("/actuator/health"),
                "api-gateway", URI.create(gateway + "/api/v1/health/"));
        health.forEach((service, uri) -> {
            if (!healthy(uri)) {
                missing.add(service + " not healthy at " + uri);
            }
        });
        return missing;
    }

    private static boolean healthy(URI uri) {
        try {
            var request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build();
            return HEALTH.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The spans every service exported so far. */
    OtlpCollector collector() {
        return collector;
    }

    /** A service's log file ({@code api-gateway}, {@code ingest-service}, {@code delivery-service}). */
    Path log(String service) {
        return data.resolve("platform/logs/" + service + ".log");
    }

    private static SharedPlatform start() {
        try {
            // Under target/, one per run and kept: a failed run leaves its logs to read, and a
            // platform orphaned by a killed run cannot hold this run's directory.
            Path target = Files.createDirectories(Path.of("target").toAbsolutePath());
            Path data = Files.createTempDirectory(target, "shared-platform-");
            var collector = new OtlpCollector();
            int port = Ports.freePort();
            var out = new PrintStream(Files.newOutputStream(data.resolve("launcher.out")), true, StandardCharsets.UTF_8);
            var platform = new LocalPlatform(
                    new LocalSettings(tracedHome(data.resolve("home"), collector), data.resolve("platform"), port, ADMIN_TOKEN, false),
                    out,
                    List.of("--hookrelay.gateway.rate-limit.requests-per-second=100000", "--hookrelay.gateway.rate-limit.burst=100000"));
            var shared = new SharedPlatform(platform, collector, data, "http://127.0.0.1:" + port);
            System.out.println("SharedPlatform: starting one platform for this test run in " + data);
            try {
                platform.start();
            } catch (RuntimeException e) {
                shared.close();
                throw e;
            }
            return shared;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closed with the root extension context, at the end of the test JVM's run. */
    @Override
    public void close() {
        System.out.println("SharedPlatform: stopping");
        platform.close();
        collector.close();
    }

    /**
     * A home whose service jars are the repository's and whose argument files are
     * {@code deploy/jvm}'s plus the collector's address, every trace recorded and a short export delay:
     * the launcher passes no settings of a test's to ingest and delivery, system properties reach all three.
     */
    private static Path tracedHome(Path home, OtlpCollector collector) throws IOException {
        Path jvm = Files.createDirectories(home.resolve("deploy/jvm"));
        for (String service : SERVICES) {
            Path jar = REPOSITORY.resolve(service + "/target/" + service + ".jar");
            Files.createDirectories(home.resolve(service + "/target"));
            Files.createSymbolicLink(home.resolve(service + "/target/" + service + ".jar"), jar);
            Files.writeString(jvm.resolve(service + ".options"),
                    Files.readString(REPOSITORY.resolve("deploy/jvm/" + service + ".options"))
                            + "\n-Dmanagement.opentelemetry.tracing.export.otlp.endpoint=" + collector.endpoint()
                            + "\n-Dmanagement.tracing.sampling.probability=1.0"
                            + "\n-Dmanagement.opentelemetry.tracing.export.schedule-delay=200ms\n");
        }
        Files.copy(REPOSITORY.resolve("deploy/jvm/kafka.options"), jvm.resolve("kafka.options"));
        return home;
    }
}
