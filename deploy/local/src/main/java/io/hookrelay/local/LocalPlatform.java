package io.hookrelay.local;

import io.hookrelay.infra.ChildProcess;
import io.hookrelay.infra.JvmOptions;
import io.hookrelay.infra.KafkaBroker;
import io.hookrelay.infra.Ports;
import io.hookrelay.infra.PostgresServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * HookRelay on one machine with no Docker: a real PostgreSQL, a real single-node Kafka, then
 * ingest-service, delivery-service and api-gateway, each in its own process. A service that dies
 * is restarted with backoff ({@link SupervisedService}); Ctrl-C or SIGTERM stops everything in
 * reverse order, and every child also stops by itself when this process dies without stopping
 * it (ADR 0019). Started by {@code bin/run-local}.
 */
public final class LocalPlatform implements AutoCloseable {

    static final String DATABASE = "hookrelay";
    static final String READY = "HookRelay is ready:";
    static final String TRAIN_ARGUMENT = "--train-aot-caches";
    /**
     * How long a service that records an AOT cache may take to stop: at its exit the JVM starts
     * another that assembles the cache (~20-60 s each on 2 shared cores, three at once).
     */
    static final Duration CACHE_WRITING_GRACE = Duration.ofMinutes(5);

    private final LocalSettings settings;
    private final PrintStream out;
    private final List<String> gatewayArguments;
    private final Optional<Path> recordCachesTo;
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final Map<String, SupervisedService> services = new ConcurrentHashMap<>();
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("run-local-restarts").daemon().factory());
    private volatile boolean stopping;
    private volatile SupervisedPostgres postgres;
    private volatile KafkaBroker kafka;
    private volatile int ingestPort;
    private volatile int deliveryPort;
    private volatile ServiceLauncher launcher;

    LocalPlatform(LocalSettings settings, PrintStream out) {
        this(settings, out, List.of());
    }

    /**
     * @param gatewayArguments extra {@code --name=value} settings for api-gateway, after the
     *     launcher's own (tests raise the rate limit with them, say)
     */
    LocalPlatform(LocalSettings settings, PrintStream out, List<String> gatewayArguments) {
        this(settings, out, gatewayArguments, Optional.empty());
    }

    /**
     * @param recordCachesTo for {@link TrafficTraining}: the services start without AOT caches and
     *     each writes one of what it ran there when it stops ({@link ServiceLauncher})
     */
    LocalPlatform(LocalSettings settings, PrintStream out, List<String> gatewayArguments, Optional<Path> recordCachesTo) {
        this.settings = settings;
        this.out = out;
        this.gatewayArguments = List.copyOf(gatewayArguments);
        this.recordCachesTo = recordCachesTo;
    }

    /**
     * A platform for another module's end-to-end tests: {@code home} is the repository (built
     * jars), {@code data} a fresh data directory; call {@link #start()} and {@link #close()}.
     */
    public static LocalPlatform forTests(
            Path home, Path data, int gatewayPort, String adminToken, List<String> gatewayArguments, PrintStream out) {
        return new LocalPlatform(new LocalSettings(home, data, gatewayPort, adminToken, false), out, gatewayArguments);
    }

    public static void main(String[] args) {
        if (args.length > 0) {
            System.exit(args.length == 1 && args[0].equals(TRAIN_ARGUMENT) ? trainUnderTraffic(LocalSettings.home(System.getenv())) : usage());
            return;
        }
        LocalSettings settings;
        try {
            settings = LocalSettings.from(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("run-local: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (!Ports.isFree(settings.gatewayPort())) {
            System.err.println("run-local: port " + settings.gatewayPort() + " is already in use. Stop what uses it,"
                    + " or pick another port: HOOKRELAY_PORT=8090 bin/run-local");
            System.exit(2);
        }
        FileLock lock = lockDataDirectory(settings.dataDirectory());
        var platform = new LocalPlatform(settings, System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            platform.close();
            release(lock);
        }, "run-local-stop"));
        try {
            platform.start();
            platform.launcher.trainMissingCachesInBackground(List.of("api-gateway", "ingest-service", "delivery-service"));
        } catch (RuntimeException e) {
            if (platform.stopping) {
                return;
            }
            System.err.println("run-local: start-up failed: " + e.getMessage());
            System.exit(1);
        }
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code bin/run-local --train-aot-caches}: see {@link TrafficTraining}. */
    private static int trainUnderTraffic(Path home) {
        try {
            var training = new TrafficTraining(home, System.out);
            if (training.done()) {
                System.out.println("run-local: the AOT caches trained under traffic are in place for these jars already");
                return 0;
            }
            System.out.println("run-local: training the AOT caches under traffic (a platform of its own, "
                    + TrafficTraining.DEFAULT_TRAFFIC.toSeconds() + " s of messages, then each service writes its cache;"
                    + " about 4 minutes)");
            return training.train(TrafficTraining.DEFAULT_TRAFFIC) ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            System.err.println("run-local: training under traffic failed: " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static int usage() {
        System.err.println("""
                Usage: bin/run-local                      start HookRelay on this machine (Ctrl-C stops it)
                       bin/run-local %s   train the services' AOT caches under traffic, then exit
                                                          (their JIT starts warm; ADR 0037)""".formatted(TRAIN_ARGUMENT));
        return 2;
    }

    public void start() {
        Path data = settings.dataDirectory();
        out.println("HookRelay local: data in " + data + " (logs in " + data.resolve("logs") + ")");

        // one left running by a launcher that was killed would keep the data directory locked
        SupervisedPostgres.stopServerIn(data.resolve("postgres"), "left over from an earlier run", out);
        var supervisedPostgres = new SupervisedPostgres(data.resolve("postgres"), data.resolve("logs").resolve("postgresql.log"),
                RestartBackoff.DEFAULT, restarts, out);
        var postgres = supervisedPostgres.start();
        this.postgres = supervisedPostgres;
        running.push(supervisedPostgres);
        postgres.createDatabase(DATABASE);
        out.println("  postgres  127.0.0.1:" + postgres.port());

        var kafka = KafkaBroker.launch(data.resolve("kafka"), 0,
                List.of(JvmOptions.argumentFile(settings.home(), "kafka")));
        this.kafka = kafka;
        running.push(kafka);
        kafka.awaitReady();
        out.println("  kafka     " + kafka.bootstrapServers());

        String internalToken = randomToken();
        LocalSettings.keepInternalToken(data, internalToken);
        List<String> common = List.of(
                "--hookrelay.database.host=" + postgres.host(),
                "--hookrelay.database.port=" + postgres.port(),
                "--hookrelay.database.name=" + DATABASE,
                "--hookrelay.database.username=" + PostgresServer.USER,
                "--hookrelay.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--hookrelay.internal-token=" + internalToken,
                "--hookrelay.secrets.encryption-key=" + LocalSettings.secretsKey(data));
        var launcher = new ServiceLauncher(settings.home(), data, recordCachesTo,
                Map.of("delivery-service", settings.deliveryNiceness()), out);
        this.launcher = launcher;
        running.push(launcher);
        int ingestPort = Ports.freePort();
        int deliveryPort = Ports.freePort();
        this.ingestPort = ingestPort;
        this.deliveryPort = deliveryPort;
        ChildProcess ingest = startService(launcher, "ingest-service", ingestPort, common);
        ChildProcess delivery = startService(launcher, "delivery-service", deliveryPort,
                concat(common, "--hookrelay.delivery.destinations.allow-loopback=true"));
        launcher.awaitHealthy(ingest, URI.create("http://127.0.0.1:" + ingestPort + "/actuator/health"));
        out.println("  ingest    127.0.0.1:" + ingestPort);
        launcher.awaitHealthy(delivery, URI.create("http://127.0.0.1:" + deliveryPort + "/actuator/health"));
        out.println("  delivery  127.0.0.1:" + deliveryPort
                + "  (local mode: loopback webhook destinations are ALLOWED)");

        var gatewaySettings = new java.util.ArrayList<>(List.of(
                "--hookrelay.database.host=" + postgres.host(),
                "--hookrelay.database.port=" + postgres.port(),
                "--hookrelay.database.name=" + DATABASE,
                "--hookrelay.database.username=" + PostgresServer.USER,
                "--hookrelay.gateway.admin-token=" + settings.adminToken(),
                "--hookrelay.internal-token=" + internalToken,
                "--hookrelay.gateway.ingest-uri=http://127.0.0.1:" + ingestPort,
                "--hookrelay.gateway.delivery-uri=http://127.0.0.1:" + deliveryPort));
        gatewaySettings.addAll(gatewayArguments);
        ChildProcess gateway = startService(launcher, "api-gateway", settings.gatewayPort(), gatewaySettings);
        String url = "http://127.0.0.1:" + settings.gatewayPort();
        launcher.awaitHealthy(gateway, URI.create(url + "/api/v1/health/"));
        out.println(READY + " " + url + "  admin token: " + settings.adminToken()
                + (settings.tokenGenerated() ? "  (generated; set HOOKRELAY_ADMIN_TOKEN to choose)" : ""));
    }

    /** JDBC URL of the platform's database, for tests that check what a request changed (user postgres, no password). */
    String jdbcUrl() {
        return postgres.current().jdbcUrl(DATABASE);
    }

    /** Where ingest-service answers (its actuator included), once started. */
    public URI ingestUri() {
        return URI.create("http://127.0.0.1:" + ingestPort);
    }

    /** Where delivery-service answers (its actuator included), once started. */
    public URI deliveryUri() {
        return URI.create("http://127.0.0.1:" + deliveryPort);
    }

    /** Stops Kafka while the services keep running: for tests of what an outage does. */
    public void stopKafka() {
        kafka.close();
    }

    /** Stops PostgreSQL for good (not restarted) while the services keep running: for tests of what an outage does. */
    public void stopPostgres() {
        postgres.close();
    }

    /** The process of {@code service} (ingest-service, delivery-service, api-gateway) running now. */
    public ChildProcess currentProcess(String service) {
        return services.get(service).current();
    }

    /** How many times {@code service} was restarted after it died. */
    public int restarts(String service) {
        return services.get(service).restarts();
    }

    /** The PostgreSQL server's pid now (it is not a child of this process: pg_ctl detaches it). */
    public long postgresPid() {
        return postgres.current().pid();
    }

    /** How many times PostgreSQL was restarted after it died. */
    public int postgresRestarts() {
        return postgres.restarts();
    }

    private ChildProcess startService(ServiceLauncher launcher, String name, int port, List<String> arguments) {
        List<String> withPort = concat(arguments, "--server.port=" + port);
        var service = new SupervisedService(name, () -> launcher.start(name, withPort), RestartBackoff.DEFAULT, restarts, out);
        ChildProcess process = service.start();
        services.put(name, service);
        running.push(() -> service.stop(recordCachesTo.isPresent() ? CACHE_WRITING_GRACE : Duration.ofSeconds(25)));
        return process;
    }

    /** Stops everything started so far, newest first. Safe to call more than once. */
    @Override
    public synchronized void close() {
        stopping = true;
        restarts.shutdownNow();
        if (running.isEmpty()) {
            return;
        }
        out.println("HookRelay local: stopping");
        // The services shut down gracefully side by side; Kafka and PostgreSQL wait for them.
        services.values().forEach(SupervisedService::terminate);
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                System.err.println("run-local: error while stopping: " + e.getMessage());
            }
        }
        out.println("HookRelay local: stopped");
    }

    private static FileLock lockDataDirectory(Path data) {
        try {
            Files.createDirectories(data);
            FileChannel channel = FileChannel.open(
                    data.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                System.err.println("run-local: another bin/run-local is using " + data
                        + ". Stop it, or use another directory: HOOKRELAY_DATA=/tmp/hookrelay2 bin/run-local");
                System.exit(2);
            }
            return lock;
        } catch (IOException e) {
            System.err.println("run-local: cannot use data directory " + data + ": " + e.getMessage());
            System.exit(2);
            return null;
        }
    }

    private static void release(FileLock lock) {
        try {
            lock.channel().close();
        } catch (IOException ignored) {
            // the process is exiting
        }
    }

    private static String randomToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static List<String> concat(List<String> list, String extra) {
        var all = new java.util.ArrayList<>(list);
        all.add(extra);
        return all;
    }
}
