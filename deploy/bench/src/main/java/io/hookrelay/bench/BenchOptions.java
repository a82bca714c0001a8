package io.hookrelay.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What one run of bin/bench was asked to do; every size and duration defaults to issue 12's values. */
record BenchOptions(
        Path home,
        Optional<URI> target,
        Optional<String> token,
        Optional<Path> dataDirectory,
        Optional<Path> out,
        List<String> scenarios,
        Duration ceilingDuration,
        Duration warmupDuration,
        int warmupRate,
        int steadyRate,
        Duration steadyDuration,
        int fanoutRate,
        int fanoutEndpoints,
        Duration fanoutDuration,
        int burstMessages,
        int burstConcurrency,
        Duration burstTimeLimit,
        int payloadBytes,
        boolean idempotencyKey,
        Duration drainTimeout,
        Duration lateThreshold,
        int verifyEvery,
        int maxOutstanding,
        int connections,
        boolean noRateLimit,
        Duration settle,
        Duration startupTimeout,
        boolean keepData) {

    static final List<String> ALL_SCENARIOS = List.of("ceiling", "steady", "fanout", "burst");

    static final String USAGE = """
            Usage: bin/bench [options]

            Measures HookRelay's throughput, latency, losses and footprint in one run. Without --target it
            starts the platform itself (bin/run-local on a temporary data directory and a free port, stopped
            on exit); HOOKRELAY_*, SPRING_* and JDK_JAVA_OPTIONS variables are passed on to it.

              --target URL               use a running platform (gateway URL) instead of starting one
              --token TOKEN              its admin token (required with --target)
              --data-dir DIR             its data directory, to find GC logs and processes (with --target)
              --out DIR                  output directory (default deploy/bench/target/bench/<timestamp>)
              --scenarios LIST           of ceiling,steady,fanout,burst (default: all, in that order)
              --ceiling-seconds N        client straight to the receiver (default 10)
              --warmup-seconds N         warm-up before the scenarios, 0 for none (default 60; capacity figures need 240 on 2 cores, after bin/run-local --train-aot-caches: docs/benchmarks.md)
              --warmup-rate N            messages/s of the warm-up, to one endpoint (default: the steady rate; a cold platform on 2 cores takes about 100: docs/benchmarks.md)
              --steady-rate N            messages/s to one endpoint (default 1000)
              --steady-seconds N         (default 60)
              --fanout-rate N            messages/s to an application with --fanout-endpoints (default 500)
              --fanout-endpoints N       (default 10)
              --fanout-seconds N         (default 60)
              --burst-messages N         (default 50000)
              --burst-concurrency N      requests in flight in the burst and the ceiling (default 256)
              --burst-max-seconds N      stop sending the burst after this, however many were sent (default 150)
              --payload-bytes N          whole JSON request body (default 512)
              --no-idempotency-key       send no idempotency-key header (default: one per message)
              --drain-timeout N          seconds to wait for deliveries after sending (default 120)
              --late-ms N                end-to-end above this counts as late (default 1000)
              --verify-every N           verify the signature of every Nth delivery (default 50)
              --max-outstanding N        open model: requests in flight before sends are skipped (default 10000)
              --connections N            client connection pool size (default 512)
              --no-rate-limit            start the platform with the gateway's per-token rate limit off
              --settle-seconds N         wait before measuring idle memory (default 5)
              --startup-timeout N        seconds the started platform, and each of its services, may take (default 300)
              --keep-data                keep the temporary data directory of a platform the bench started
              --help                     this text
            """;

    static BenchOptions parse(Path home, List<String> args) {
        return parse(home, home, args);
    }

    /** @param workingDirectory what relative --out and --data-dir paths are relative to (where bin/bench was run) */
    static BenchOptions parse(Path home, Path workingDirectory, List<String> args) {
        Map<String, String> values = values(USAGE, List.of("--no-idempotency-key", "--no-rate-limit", "--keep-data", "--help"), args);
        var options = new BenchOptions(
                home,
                Optional.ofNullable(values.get("--target")).map(URI::create),
                Optional.ofNullable(values.get("--token")),
                Optional.ofNullable(values.get("--data-dir")).map(workingDirectory::resolve),
                Optional.ofNullable(values.get("--out")).map(workingDirectory::resolve),
                scenarios(values.getOrDefault("--scenarios", String.join(",", ALL_SCENARIOS))),
                seconds(values, "--ceiling-seconds", 10),
                seconds(values, "--warmup-seconds", 60),
                positive(values, "--warmup-rate", positive(values, "--steady-rate", 1000)),
                positive(values, "--steady-rate", 1000),
                seconds(values, "--steady-seconds", 60),
                positive(values, "--fanout-rate", 500),
                positive(values, "--fanout-endpoints", 10),
                seconds(values, "--fanout-seconds", 60),
                positive(values, "--burst-messages", 50_000),
                positive(values, "--burst-concurrency", 256),
                Duration.ofSeconds(positive(values, "--burst-max-seconds", 150)),
                positive(values, "--payload-bytes", 512),
                !values.containsKey("--no-idempotency-key"),
                seconds(values, "--drain-timeout", 120),
                Duration.ofMillis(positive(values, "--late-ms", 1000)),
                positive(values, "--verify-every", 50),
                positive(values, "--max-outstanding", 10_000),
                positive(values, "--connections", 512),
                values.containsKey("--no-rate-limit"),
                seconds(values, "--settle-seconds", 5),
                Duration.ofSeconds(positive(values, "--startup-timeout", 300)),
                values.containsKey("--keep-data"));
        if (options.target.isPresent() && options.token.isEmpty()) {
            throw new IllegalArgumentException("--target needs --token (the platform's admin token)");
        }
        return options;
    }

    /**
     * The command line as option name to value ("true" for a flag); any option {@code usage} does
     * not list is an error. Throws {@link HelpRequested} for --help.
     */
    static Map<String, String> values(String usage, List<String> flags, List<String> args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (!name.startsWith("--") || !usage.contains(name + " ") && !usage.contains(name + "\n")) {
                throw new IllegalArgumentException("unknown option " + arg + " (see --help)");
            }
            if (flags.contains(name)) {
                values.put(name, "true");
            } else if (arg.contains("=")) {
                values.put(name, arg.substring(arg.indexOf('=') + 1));
            } else if (i + 1 < args.size()) {
                values.put(name, args.get(++i));
            } else {
                throw new IllegalArgumentException(name + " needs a value");
            }
        }
        if (values.containsKey("--help")) {
            throw new HelpRequested();
        }
        return values;
    }

    /** The settings as the report prints them. */
    Map<String, Object> describe() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("target", target.map(URI::toString).orElse("bin/run-local started by the bench"));
        settings.put("scenarios", scenarios);
        settings.put("ceilingSeconds", ceilingDuration.toSeconds());
        settings.put("warmupSeconds", warmupDuration.toSeconds());
        settings.put("warmupRate", warmupRate);
        settings.put("steadyRate", steadyRate);
        settings.put("steadySeconds", steadyDuration.toSeconds());
        settings.put("fanoutRate", fanoutRate);
        settings.put("fanoutEndpoints", fanoutEndpoints);
        settings.put("fanoutSeconds", fanoutDuration.toSeconds());
        settings.put("burstMessages", burstMessages);
        settings.put("burstConcurrency", burstConcurrency);
        settings.put("burstMaxSeconds", burstTimeLimit.toSeconds());
        settings.put("payloadBytes", payloadBytes);
        settings.put("idempotencyKey", idempotencyKey);
        settings.put("drainTimeoutSeconds", drainTimeout.toSeconds());
        settings.put("lateMillis", lateThreshold.toMillis());
        settings.put("verifyEvery", verifyEvery);
        settings.put("maxOutstanding", maxOutstanding);
        settings.put("connections", connections);
        settings.put("noRateLimit", noRateLimit);
        return settings;
    }

    private static List<String> scenarios(String text) {
        List<String> chosen = new ArrayList<>();
        for (String name : text.split(",")) {
            String trimmed = name.trim();
            if (!ALL_SCENARIOS.contains(trimmed)) {
                throw new IllegalArgumentException("unknown scenario '" + trimmed + "': choose from " + ALL_SCENARIOS);
            }
            chosen.add(trimmed);
        }
        // always the documented order, whatever order they were named in
        return ALL_SCENARIOS.stream().filter(chosen::contains).toList();
    }

    private static Duration seconds(Map<String, String> values, String name, int fallback) {
        return Duration.ofSeconds(number(values, name, fallback, 0));
    }

    private static int positive(Map<String, String> values, String name, int fallback) {
        return number(values, name, fallback, 1);
    }

    static int number(Map<String, String> values, String name, int fallback, int minimum) {
        String text = values.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value < minimum) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number >= " + minimum + ", not '" + text + "'");
        }
    }

    /** --help: print the usage and stop. */
    static final class HelpRequested extends RuntimeException {
        HelpRequested() {
            super(null, null, false, false);
        }
    }
}
