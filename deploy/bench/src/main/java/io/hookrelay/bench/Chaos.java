package io.hookrelay.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * bin/chaos: the fault campaign (see {@link ChaosOptions#USAGE} and docs/reliability.md). Writes
 * report.txt and report.json; exits 0 only when every promise held (see {@link ChaosVerdict}).
 */
public final class Chaos {

    /** A short retry schedule, so what a fault leaves owed is delivered within the drain. */
    static final String RETRY_DELAYS = "1s,2s,4s,8s,15s,30s,60s";

    private final ChaosOptions options;
    private final List<String> arguments;
    private final PrintStream log;

    Chaos(ChaosOptions options, List<String> arguments, PrintStream log) {
        this.options = options;
        this.arguments = arguments;
        this.log = log;
    }

    public static void main(String[] args) {
        Bench.launch("chaos", ChaosOptions.USAGE, args, tool(System.err));
    }

    /** bin/chaos as {@link Bench#launch} runs it, its progress lines going to {@code log}. */
    static Bench.Tool tool(PrintStream log) {
        return (home, workingDirectory, arguments) -> {
            var options = ChaosOptions.parse(home, workingDirectory, arguments);
            return () -> new Chaos(options, arguments, log).run();
        };
    }

    /** Runs the campaign; returns the output directory and the exit status its verdict calls for. */
    Bench.Finished run() {
        long began = System.nanoTime();
        String loadBefore = Bench.loadAverage();
        String startedAt = OffsetDateTime.now().toString();
        Path out = options.out().orElse(options.home().resolve("deploy/bench/target/chaos")
                .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
        String caches = options.target().isPresent() ? "those of the target"
                : options.trainCaches() ? trainCaches() : "start only (not trained under traffic)";
        var clientLoops = LoopResources.create("chaos-client", 1, true);
        var receiverLoops = LoopResources.create("chaos-receiver", 1, true);
        // its own loop: a 32 MiB answer or a thousand held connections must not slow the healthy receiver
        var hostileLoops = LoopResources.create("chaos-hostile", 1, true);
        // the platform is stopped as the try ends, before the finally disposes of the loops
        try (var platform = PlatformUnderTest.targetOrStart(options.target(), options.token(), options.dataDirectory(),
                () -> StartedPlatform.start(options.home(), true, options.keepData(), options.startupTimeout(),
                        retrySettings(), log))) {
            URI url = platform.url();
            String token = platform.token();
            String runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            var processes = new PlatformProcesses(ProcFs.system(), platform.launcherPid(), platform.data());
            ChaosCampaign.Outcome outcome;
            try (var receiver = new Receiver(receiverLoops);
                    var hostile = new HostileReceiver(hostileLoops, options.endpoints());
                    var client = new LoadClient(url.toString(), token, 256, clientLoops);
                    var injector = new FaultInjector(processes, platform.data(), hostile)) {
                outcome = new ChaosCampaign(options, url, token, receiver, hostile, client, injector, runId, log).run();
            }
            var environment = new ChaosReport.Environment(commandLine(), Bench.gitCommit(options.home()),
                    Runtime.version().toString(), Runtime.getRuntime().availableProcessors(), startedAt, loadBefore,
                    Bench.loadAverage(), url.toString(), out.toAbsolutePath().toString(), (System.nanoTime() - began) / 1e9);
            var verdict = ChaosVerdict.of(outcome.faults(), outcome.totals(), options.hang());
            var settings = options.describe();
            settings.put("aotCaches", caches);
            write(out, new ChaosReport(environment, settings, outcome.beforeTheFirstFault(), outcome.faults(),
                    outcome.totals(), verdict, outcome.notes()));
            return new Bench.Finished(out, verdict.exitStatus());
        } finally {
            clientLoops.dispose();
            receiverLoops.dispose();
            hostileLoops.dispose();
        }
    }

    /**
     * bin/run-local --train-aot-caches (ADR 0037), which does nothing when the caches are in place for
     * these jars: a service the campaign kills then comes back with its JIT's profiles, as a cold one
     * at 100 messages/s on two cores answered past the hang bound for seconds (docs/reliability.md).
     * A training that fails leaves the start-only caches, and the report says so.
     */
    private String trainCaches() {
        log.println("chaos: training the AOT caches under traffic first, unless they are in place (bin/run-local "
                + "--train-aot-caches; --no-aot-training skips it)");
        try {
            var training = new ProcessBuilder(options.home().resolve("bin/run-local").toString(), "--train-aot-caches")
                    .directory(options.home().toFile())
                    .redirectErrorStream(true)
                    .start();
            try (var output = training.inputReader()) {
                output.lines().forEach(line -> log.println("chaos: " + line));
            }
            if (training.waitFor() == 0) {
                return "trained under traffic (bin/run-local --train-aot-caches)";
            }
            log.println("chaos: the training failed (exit status " + training.exitValue() + "); the campaign goes on with start-only caches");
            return "start only (the training failed)";
        } catch (IOException e) {
            log.println("chaos: the training could not run (" + e.getMessage() + "); the campaign goes on with start-only caches");
            return "start only (the training could not run)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while training the AOT caches", e);
        }
    }

    /** The campaign's short retry schedule, unless the caller's environment sets its own. */
    private static Map<String, String> retrySettings() {
        return System.getenv().containsKey("HOOKRELAY_DELIVERY_RETRY_DELAYS")
                ? Map.of() : Map.of("HOOKRELAY_DELIVERY_RETRY_DELAYS", RETRY_DELAYS);
    }

    private static void write(Path out, ChaosReport report) {
        try {
            Files.createDirectories(out);
            var json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
            Files.writeString(out.resolve("report.json"), json.writeValueAsString(report));
            Files.writeString(out.resolve("report.txt"), ChaosTextReport.render(report));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + out, e);
        }
    }

    private String commandLine() {
        return "bin/chaos" + (arguments.isEmpty() ? "" : " " + String.join(" ", arguments));
    }
}
