package io.hookrelay.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** Runs one scenario from set-up to drained deliveries, with the process and GC windows around it. */
final class ScenarioRunner {

    private static final Duration START_DELAY = Duration.ofMillis(100);
    private static final Duration CEILING_WARMUP = Duration.ofSeconds(3);

    private final BenchOptions options;
    private final PlatformApi api;
    private final Receiver receiver;
    private final LoadClient platformClient;
    private final LoadClient receiverClient;
    private final ProcessSampler sampler;
    private final GcLogWindow gc;
    private final String runId;
    private final PrintStream log;

    ScenarioRunner(BenchOptions options, PlatformApi api, Receiver receiver, LoadClient platformClient,
            LoadClient receiverClient, ProcessSampler sampler, GcLogWindow gc, String runId, PrintStream log) {
        this.options = options;
        this.api = api;
        this.receiver = receiver;
        this.platformClient = platformClient;
        this.receiverClient = receiverClient;
        this.sampler = sampler;
        this.gc = gc;
        this.runId = runId;
        this.log = log;
    }

    ScenarioResult run(Scenario scenario, Duration drainTimeout) {
        log.println("bench: " + scenario.name() + ": " + scenario.description());
        var setup = api.createApplication("bench-" + runId + "-" + scenario.name(), receiver.url(), scenario.name(),
                scenario.endpoints());
        var deliveries = new DeliveryRecorder(setup.secrets(), options.verifyEvery());
        receiver.register(scenario.name(), deliveries);
        var sender = new MessageSender(platformClient, "/api/v1/app/" + setup.applicationId() + "/msg",
                MessageSender.body("bench.event", options.payloadBytes()),
                options.idempotencyKey() ? "bench-" + runId + "-" + scenario.name() + "-" : null);

        sampler.beginWindow();
        gc.begin();
        long start = System.nanoTime() + START_DELAY.toNanos();
        SentMessages sent = send(scenario.load(), sender, start);
        awaitAnswers(sent);
        long sendingEnded = System.nanoTime();
        boolean drained = awaitDeliveries(sent, deliveries, drainTimeout);
        Duration drain = Duration.ofNanos(System.nanoTime() - sendingEnded);
        var processes = sampler.endWindow();
        var pauses = gc.end();

        var analysis = new ScenarioAnalysis(sent, deliveries, start, options.lateThreshold()).run();
        var outcome = analysis.outcome(drain, drained, drainTimeout);
        log.printf("bench: %s: %d sent, %d accepted, %d of %d delivered, drain %.1f s%n", scenario.name(), sent.sent(),
                outcome.accepted(), outcome.delivered(), outcome.expectedDeliveries(), outcome.drainSeconds());
        return new ScenarioResult(scenario.name(), scenario.description(),
                sending(scenario, sent, start), outcome, analysis.acceptLatency(), analysis.endToEndLatency(),
                processes, pauses, analysis.series().seconds());
    }

    CeilingResult ceiling() {
        log.println("bench: ceiling: the same client posting straight to the receiver for "
                + options.ceilingDuration().toSeconds() + " s, " + options.burstConcurrency() + " in flight");
        var sender = new MessageSender(receiverClient, Receiver.CEILING_PATH,
                MessageSender.body("bench.event", options.payloadBytes()), null);
        // room for 250,000 requests/s: beyond that the ceiling simply ends early
        int capacity = (int) Math.min(50_000_000L, Math.max(1000, options.ceilingDuration().toSeconds() * 250_000));
        // a few seconds first, not measured: the ceiling is the machine's, not a cold JIT's
        long warm = Math.min(CEILING_WARMUP.toNanos(), options.ceilingDuration().toNanos());
        awaitAnswers(new ClosedModelLoad(sender, options.burstConcurrency()).run(capacity, System.nanoTime() + warm));
        sampler.beginWindow();
        long start = System.nanoTime();
        SentMessages sent = new ClosedModelLoad(sender, options.burstConcurrency())
                .run(capacity, start + options.ceilingDuration().toNanos());
        awaitAnswers(sent);
        var processes = sampler.endWindow();

        Histogram latency = Latency.histogram();
        Map<String, Integer> errors = new TreeMap<>(sent.failures());
        long answered = 0;
        long last = start;
        for (int i = 0; i < sent.sent(); i++) {
            int status = sent.status(i);
            if (status / 100 == 2) {
                answered++;
                Latency.record(latency, sent.answeredNanos(i) - sent.scheduledNanos(i));
                last = Math.max(last, sent.answeredNanos(i));
            } else if (status > 0) {
                errors.merge("status " + status, 1, Integer::sum);
            }
        }
        double seconds = (last - start) / 1e9;
        var result = new CeilingResult(seconds, options.burstConcurrency(), answered,
                ScenarioAnalysis.rate(answered, start, last), Latency.of(latency), errors, processes);
        log.printf("bench: ceiling: %.0f requests/s%n", result.requestsPerSecond());
        return result;
    }

    private SentMessages send(Scenario.Load load, MessageSender sender, long start) {
        return switch (load) {
            case Scenario.Open open -> new OpenModelLoad(sender, options.maxOutstanding())
                    .run(Schedule.of(start, open.rate(), open.duration()));
            case Scenario.Closed closed -> {
                sleepUntil(start);
                yield new ClosedModelLoad(sender, closed.concurrency())
                        .run(closed.messages(), start + closed.timeLimit().toNanos());
            }
        };
    }

    private static ScenarioResult.Sending sending(Scenario scenario, SentMessages sent, long start) {
        double seconds = Math.max(0, (sent.lastSendNanos() - start) / 1e9);
        int skipped = 0;
        for (int i = 0; i < sent.capacity(); i++) {
            skipped += sent.status(i) == SentMessages.SKIPPED ? 1 : 0;
        }
        int offered = scenario.load() instanceof Scenario.Open open ? open.rate() : 0;
        return new ScenarioResult.Sending(scenario.load() instanceof Scenario.Open ? "open" : "closed",
                scenario.endpoints(), offered, sent.capacity(), sent.sent(), skipped,
                seconds > 0 ? sent.sent() / seconds : 0, sent.maxSendLagNanos() / 1e6, seconds);
    }

    /** Every request answered or timed out (the client gives up on each after its response timeout). */
    private static void awaitAnswers(SentMessages sent) {
        long deadline = System.nanoTime() + LoadClient.RESPONSE_TIMEOUT.plusSeconds(10).toNanos();
        while (sent.outstanding() > 0 && System.nanoTime() < deadline) {
            sleep(20);
        }
    }

    private static boolean awaitDeliveries(SentMessages sent, DeliveryRecorder deliveries, Duration timeout) {
        long accepted = 0;
        for (int i = 0; i < sent.capacity(); i++) {
            accepted += sent.status(i) == 202 ? 1 : 0;
        }
        long expected = accepted * deliveries.endpoints();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            // the cheap count first; the exact check only once it could be complete
            if (deliveries.distinctDeliveries() >= expected && allDelivered(sent, deliveries)) {
                return true;
            }
            sleep(50);
        }
        return allDelivered(sent, deliveries);
    }

    private static boolean allDelivered(SentMessages sent, DeliveryRecorder deliveries) {
        for (int i = 0; i < sent.capacity(); i++) {
            if (sent.status(i) == 202 && sent.messageId(i) != null) {
                for (int endpoint = 0; endpoint < deliveries.endpoints(); endpoint++) {
                    if (!deliveries.hasArrived(sent.messageId(i), endpoint)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static void sleepUntil(long nanos) {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            sleep(wait / 1_000_000);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
