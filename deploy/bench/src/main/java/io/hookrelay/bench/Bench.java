package io.hookrelay.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * bin/bench: measures the platform's throughput, latency, losses and footprint in one run (see
 * {@link BenchOptions#USAGE} and docs/benchmarks.md). Writes report.txt, report.json and chart.svg.
 */
public final class Bench {

    private final BenchOptions options;
    private final List<String> arguments;
    private final PrintStream log;

    Bench(BenchOptions options, List<String> arguments, PrintStream log) {
        this.options = options;
        this.arguments = arguments;
        this.log = log;
    }

    /** Held so the level sticks (java.util.logging keeps loggers weakly). */
    private static final java.util.logging.Logger REACTOR_LOG = java.util.logging.Logger.getLogger("reactor");

    public static void main(String[] args) {
        launch("bench", BenchOptions.USAGE, args, (home, workingDirectory, arguments) -> {
            var options = BenchOptions.parse(home, workingDirectory, arguments);
            return () -> new Finished(new Bench(options, arguments, System.err).run(), EXIT_COMPLETED);
        });
    }

    /** The run completed (for bin/chaos: and every promise held). */
    static final int EXIT_COMPLETED = 0;
    /** The run could not complete, so there is no report: the platform never started, or an error ended the run. */
    static final int EXIT_RUN_FAILED = 1;
    /** A wrong command line. */
    static final int EXIT_USAGE = 2;

    /** A run that completed: where its report.txt is, and the exit status its findings call for. */
    record Finished(Path out, int exitStatus) {}

    /** Reads a command line into a run of one tool; throws IllegalArgumentException for a wrong one. */
    interface Tool {
        Supplier<Finished> parse(Path home, Path workingDirectory, List<String> arguments);
    }

    /** The main of bin/bench and bin/chaos: {@link #execute}, then exits with its status. */
    static void launch(String name, String usage, String[] args, Tool tool) {
        quietClientLogs();
        Path home = Path.of(System.getProperty("hookrelay.home", ".")).toAbsolutePath().normalize();
        System.exit(execute(name, usage, home, System.getProperty("hookrelay.bench.cwd", home.toString()), List.of(args),
                tool, System.out, System.err));
    }

    /**
     * Parses, runs, prints the run's report.txt; returns the exit status: the run's own when it
     * completed ({@link #EXIT_COMPLETED}, or bin/chaos's {@link ChaosVerdict#PROMISE_BROKEN}),
     * {@link #EXIT_USAGE} for a wrong command line, {@link #EXIT_RUN_FAILED} when the run failed.
     */
    static int execute(String name, String usage, Path home, String workingDirectory, List<String> args, Tool tool,
            PrintStream out, PrintStream err) {
        Supplier<Finished> run;
        try {
            run = tool.parse(home, Path.of(workingDirectory), args);
        } catch (BenchOptions.HelpRequested help) {
            out.print(usage);
            return EXIT_COMPLETED;
        } catch (IllegalArgumentException e) {
            err.println(name + ": " + e.getMessage());
            return EXIT_USAGE;
        }
        try {
            Finished finished = run.get();
            out.print(Files.readString(finished.out().resolve("report.txt")));
            return finished.exitStatus();
        } catch (RuntimeException | IOException e) {
            err.println(name + ": failed: " + e.getMessage());
            e.printStackTrace(err);
            return EXIT_RUN_FAILED;
        }
    }

    /**
     * A stalled platform times out thousands of requests; they are counted in the report, so
     * Reactor Netty's per-connection warnings would only bury the progress lines.
     */
    static void quietClientLogs() {
        reactor.util.Loggers.useJdkLoggers();
        REACTOR_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    /** Runs everything asked for; returns the output directory. */
    Path run() {
        String loadBefore = loadAverage();
        String startedAt = OffsetDateTime.now().toString();
        Path out = options.out().orElse(options.home().resolve("deploy/bench/target/bench")
                .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
        // One event loop each for the client and the receiver: on 2 cores more loops cost tail latency.
        // The platform is declared first so that it is stopped last, after the loops.
        try (var platform = PlatformUnderTest.targetOrStart(options.target(), options.token(), options.dataDirectory(),
                        () -> StartedPlatform.start(options.home(), options.noRateLimit(), options.keepData(),
                                options.startupTimeout(), log));
                var clientLoops = new ClosableLoops(LoopResources.create("bench-client", 1, true));
                var receiverLoops = new ClosableLoops(LoopResources.create("bench-receiver", 1, true))) {
            var report = measure(platform, clientLoops.loops(), receiverLoops.loops(), out, loadBefore, startedAt);
            write(out, report);
            return out;
        }
    }

    private BenchReport measure(PlatformUnderTest platform, LoopResources loops, LoopResources receiverLoops, Path out,
            String loadBefore, String startedAt) {
        URI url = platform.url();
        String token = platform.token();
        Optional<Long> launcherPid = platform.launcherPid();
        Optional<Path> data = platform.data();
        String runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        var processes = new PlatformProcesses(ProcFs.system(), launcherPid, data);
        List<String> notes = new ArrayList<>();
        try (var receiver = new Receiver(receiverLoops);
                var platformClient = new LoadClient(url.toString(), token, options.connections(), loops);
                var receiverClient = new LoadClient(receiver.url(), "ceiling", options.connections(), loops);
                var sampler = new ProcessSampler(ProcFs.system(), processes)) {
            var runner = new ScenarioRunner(options, new PlatformApi(url, token), receiver, platformClient, receiverClient,
                    sampler, new GcLogWindow(data), runId, log);
            sleep(options.settle());
            Map<String, Long> idle = new LinkedHashMap<>();
            sampler.read().forEach((role, reading) -> idle.put(role, reading.residentBytes()));
            sampler.start();
            Map<String, String> aotCaches = processes.aotCaches();
            if (launcherPid.isEmpty()) {
                notes.add("a running platform without its launcher found: per-process figures are best effort (first JVM"
                        + " running each jar" + (data.isPresent() ? "" : "; no --data-dir, so no PostgreSQL and no GC logs") + ")");
            }

            CeilingResult ceiling = options.scenarios().contains("ceiling") ? runner.ceiling() : null;
            BenchReport.WarmupSummary warmup = null;
            if (!options.warmupDuration().isZero() && options.scenarios().stream().anyMatch(s -> !s.equals("ceiling"))) {
                var result = runner.run(Scenario.warmup(options), min(options.drainTimeout(), Duration.ofSeconds(30)));
                warmup = new BenchReport.WarmupSummary(options.warmupDuration().toSeconds(), result.outcome().accepted(),
                        result.outcome().delivered(), result.outcome().lost());
            }
            List<ScenarioResult> scenarios = new ArrayList<>();
            for (String name : options.scenarios()) {
                switch (name) {
                    case "steady" -> scenarios.add(runner.run(Scenario.steady(options), options.drainTimeout()));
                    case "fanout" -> scenarios.add(runner.run(Scenario.fanout(options), options.drainTimeout()));
                    case "burst" -> scenarios.add(runner.run(Scenario.burst(options), options.drainTimeout()));
                    default -> { } // the ceiling ran first
                }
            }
            if (receiver.unknownRequests() > 0) {
                notes.add(receiver.unknownRequests() + " requests reached the receiver on paths no scenario owns");
            }
            var environment = new BenchReport.Environment(commandLine(), gitCommit(options.home()), Runtime.version().toString(),
                    Runtime.getRuntime().availableProcessors(), startedAt, loadBefore, loadAverage(), url.toString(),
                    out.toAbsolutePath().toString(), aotCaches);
            return new BenchReport(environment, options.describe(), idle, ceiling, warmup, scenarios, notes);
        }
    }

    private static void write(Path out, BenchReport report) {
        try {
            Files.createDirectories(out);
            var json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
            Files.writeString(out.resolve("report.json"), json.writeValueAsString(report));
            Files.writeString(out.resolve("report.txt"), TextReport.render(report));
            Files.writeString(out.resolve("chart.svg"), SvgChart.render(report.scenarios()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + out, e);
        }
    }

    private String commandLine() {
        return "bin/bench" + (arguments.isEmpty() ? "" : " " + String.join(" ", arguments));
    }

    /** The checkout's commit (git describe --always --dirty), or "unknown". */
    static String gitCommit(Path home) {
        try {
            var process = new ProcessBuilder("git", "-C", home.toString(), "describe", "--always", "--dirty")
                    .redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes()).trim();
            return process.waitFor() == 0 ? text : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    static String loadAverage() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+"), 3));
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** LoopResources is Disposable, not AutoCloseable. */
    private record ClosableLoops(LoopResources loops) implements AutoCloseable {
        @Override
        public void close() {
            loops.dispose();
        }
    }
}
