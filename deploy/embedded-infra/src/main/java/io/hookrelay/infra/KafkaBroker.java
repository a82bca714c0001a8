package io.hookrelay.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one node), run in its
 * own JVM from the Kafka jars on this process's class path. The storage is formatted once; the
 * cluster id is kept with the data so a second start reuses it.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    /** For tests, which start a broker outside the repository's layout; bin/run-local uses deploy/jvm/kafka.options. */
    private static final List<String> TEST_JVM_ARGS = List.of(
            "-Xms16m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:MetaspaceSize=64m", "-Djava.awt.headless=true",
            "-Dlog4j2.level=WARN");

    private final ChildProcess process;
    private final int port;

    private KafkaBroker(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a broker keeping its data in {@code directory}, listening on {@code port} (0: any free). */
    public static KafkaBroker start(Path directory, int port) {
        var broker = launch(directory, port);
        broker.awaitReady();
        return broker;
    }

    /**
     * Starts the broker process without waiting for it, so the caller can register it for
     * shutdown first; then call {@link #awaitReady()}.
     */
    public static KafkaBroker launch(Path directory, int port) {
        return launch(directory, port, TEST_JVM_ARGS);
    }

    /**
     * As {@link #launch(Path, int)}, the JVM started with {@code jvmOptions} (heap, collector: e.g.
     * an argument file, {@link JvmOptions#argumentFile}). Whatever they are, the broker writes its GC
     * log to {@code logs/kafka-gc.log} beside {@code directory}.
     */
    public static KafkaBroker launch(Path directory, int port, List<String> jvmOptions) {
        int brokerPort = port == 0 ? Ports.freePort() : port;
        int controllerPort = Ports.freePort();
        try {
            Files.createDirectories(directory);
            Path config = writeConfig(directory, brokerPort, controllerPort);
            formatOnce(directory, config);
            var jvm = new java.util.ArrayList<>(jvmOptions);
            jvm.add(JvmOptions.gcLog(directory.toAbsolutePath().resolveSibling("logs"), "kafka"));
            Files.createDirectories(directory.toAbsolutePath().resolveSibling("logs"));
            var process = ChildProcess.startJava(
                    "kafka",
                    classPathArgs(jvm),
                    List.of(KafkaBrokerMain.class.getName(), config.toString()),
                    JvmOptions.ENVIRONMENT,
                    directory.resolve("broker.log"));
            return new KafkaBroker(process, brokerPort);
        } catch (IOException e) {
            throw new UncheckedIOException("Kafka did not start", e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    private static Path writeConfig(Path directory, int brokerPort, int controllerPort) throws IOException {
        var properties = new Properties();
        properties.setProperty("process.roles", "broker,controller");
        properties.setProperty("node.id", "1");
        properties.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        properties.setProperty(
                "listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        properties.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        properties.setProperty("controller.listener.names", "CONTROLLER");
        properties.setProperty("inter.broker.listener.name", "PLAINTEXT");
        properties.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        properties.setProperty("log.dirs", directory.resolve("data").toString());
        properties.setProperty("num.partitions", "6");
        properties.setProperty("offsets.topic.replication.factor", "1");
        properties.setProperty("offsets.topic.num.partitions", "6");
        properties.setProperty("transaction.state.log.replication.factor", "1");
        properties.setProperty("transaction.state.log.min.isr", "1");
        properties.setProperty("transaction.state.log.num.partitions", "6");
        properties.setProperty("share.coordinator.state.topic.replication.factor", "1");
        properties.setProperty("share.coordinator.state.topic.min.isr", "1");
        properties.setProperty("group.initial.rebalance.delay.ms", "0");
        properties.setProperty("auto.create.topics.enable", "true");
        properties.setProperty("log.retention.hours", "168");
        // the cleaner only compacts the offsets and transaction topics of one small broker: its
        // default 128 MB dedupe buffer is allocated (and touched) on the heap at start-up
        properties.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        Path config = directory.resolve("server.properties");
        try (var writer = Files.newBufferedWriter(config)) {
            properties.store(writer, "Written by HookRelay at every start; the cluster id lives in cluster.id");
        }
        return config;
    }

    private static void formatOnce(Path directory, Path config) throws IOException {
        if (Files.exists(directory.resolve("data").resolve("meta.properties"))) {
            return;
        }
        Path clusterIdFile = directory.resolve("cluster.id");
        if (!Files.exists(clusterIdFile)) {
            Files.writeString(clusterIdFile, Uuid.randomUuid().toString());
        }
        String clusterId = Files.readString(clusterIdFile).trim();
        var format = ChildProcess.startJava(
                "kafka-format",
                classPathArgs(List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")),
                List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", config.toString()),
                Map.of(),
                directory.resolve("format.log"));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (format.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!Files.exists(directory.resolve("data").resolve("meta.properties"))) {
            format.stop(Duration.ofSeconds(1));
            throw new IllegalStateException("Formatting Kafka storage failed:\n" + format.logTail(30));
        }
    }

    private static List<String> classPathArgs(List<String> jvmArgs) {
        var args = new java.util.ArrayList<>(jvmArgs);
        args.add("-cp");
        args.add(System.getProperty("java.class.path"));
        return args;
    }

    /** Waits until the broker answers, or fails with the end of its log. */
    public void awaitReady() {
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        try (var admin = Admin.create(config)) {
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka exited during start-up:\n" + process.logTail(40));
                }
                try {
                    admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    Thread.sleep(200);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.stop(Duration.ofSeconds(5));
        throw new IllegalStateException("Kafka was not ready within " + STARTUP_TIMEOUT + ":\n" + process.logTail(40));
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(30));
    }
}
