package io.hookrelay.local;

import io.hookrelay.infra.Ports;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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
 * collector with every trace sampled (a trace is told apart by its id). Classes that kill or
 * restart processes, or need settings the others cannot live with, start their own platform.
 */
final class SharedPlatform implements AutoCloseable {

    static final String ADMIN_TOKEN = "shared-e2e-admin-token";
    static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();
    static final List<String> SERVICES = List.of("api-gateway", "ingest-service", "delivery-service");
    /** The loggers of each service's lines about one message, at DEBUG: TracingEndToEndIT reads them. */
    private static final Map<String, List<String>> MESSAGE_LOGGERS = Map.of(
            "api-gateway", List.of(),
            "ingest-service", List.of("io.hookrelay.ingest.message.AcceptLog"),
            "delivery-service", List.of("io.hookrelay.delivery.dispatch.DeliveryAttempt"));
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
            return context.getRoot().getStore(NAMESPACE)
                    .computeIfAbsent(Attempt.class, key -> Attempt.start(), Attempt.class)
                    .platform();
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
     * {@code deploy/jvm}'s plus the collector's address, every trace recorded, a short export delay
     * and the service's loggers of lines about one message at DEBUG:
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
                            + "\n-Dmanagement.opentelemetry.tracing.export.schedule-delay=200ms\n"
                            + MESSAGE_LOGGERS.get(service).stream().map(logger -> "-Dlogging.level." + logger + "=DEBUG\n")
                                    .collect(Collectors.joining()));
        }
        Files.copy(REPOSITORY.resolve("deploy/jvm/kafka.options"), jvm.resolve("kafka.options"));
        return home;
    }
}
