package io.hookrelay.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What one run of bin/chaos was asked to do. */
record ChaosOptions(
        Path home,
        Optional<URI> target,
        Optional<String> token,
        Optional<Path> dataDirectory,
        Optional<Path> out,
        boolean shortForm,
        List<String> groups,
        int rate,
        int endpoints,
        Duration faultDuration,
        int kills,
        Duration warmup,
        Duration pause,
        Duration recoveryTimeout,
        Duration drainTimeout,
        Duration hang,
        long seed,
        int maxMinutes,
        Duration startupTimeout,
        boolean keepData,
        boolean trainCaches) {

    static final List<String> GROUPS = List.of("kills", "kafka", "postgres", "combined", "receivers");

    static final String USAGE = """
            Usage: bin/chaos [options]

            The fault campaign: a steady load of messages (with idempotency keys, as the SDKs send them) to
            several healthy endpoints and one that misbehaves on cue, while faults are injected one at a time:
            SIGKILL of each service, Kafka and PostgreSQL frozen (SIGSTOP) and stopped, each and both together,
            and the receiver answering 500, timing out, resetting, trickling, sending a
            huge body, redirecting or never answering. Reports per fault what clients saw, what was accepted,
            delivered, duplicated, still owed and lost, and the time to recover. Without --target it starts
            bin/run-local itself (rate limit off, retry delays 1s,2s,4s,8s,15s,30s,60s unless
            HOOKRELAY_DELIVERY_RETRY_DELAYS is set); docs/reliability.md says how to read the figures.

              --target URL               use a running platform (gateway URL) instead of starting one
              --token TOKEN              its admin token (required with --target)
              --data-dir DIR             its data directory (with --target; without it PostgreSQL is not stopped)
              --out DIR                  output directory (default deploy/bench/target/chaos/<timestamp>)
              --short                    the short form (as in ./mvnw verify): one kill of each service, 6 s
                                         freezes of Kafka and of PostgreSQL, one receiver that never answers
              --groups LIST              of kills,kafka,postgres,combined,receivers (default: all)
              --rate N                   messages/s offered, each to every endpoint (default 100)
              --endpoints N              healthy endpoints, besides the misbehaving one (default 2)
              --fault-seconds N          how long a freeze, stop or misbehaviour lasts (default 30; 6 with --short)
              --kills N                  SIGKILLs of each service, at random moments (default 3; 1 with --short)
              --warmup-seconds N         load before the first fault (default 20; 5 with --short), then until
                                         every answer over 3 s comes within a fifth of --hang-ms
              --pause-seconds N          up to this long (random) after a recovery before the next fault (default 15; 2 with --short)
              --recovery-timeout N       seconds to wait for a recovery before going on anyway (default 300)
              --drain-timeout N          seconds to wait for deliveries after the load stops (default 180; 90 with --short)
              --hang-ms N                an answer slower than this is a hang (default 5000)
              --seed N                   for the random moments (default: the clock)
              --max-minutes N            room for this long a campaign (default 180)
              --startup-timeout N        seconds the started platform may take (default 300)
              --keep-data                keep the temporary data directory of a platform the campaign started
              --no-aot-training          the long form, on a platform of its own, first trains the services' AOT
                                         caches under traffic (bin/run-local --train-aot-caches: ~4 min once per
                                         build, nothing when they are in place), so that a service restarted after
                                         a kill starts with its JIT's profiles; this skips that (--short never trains)
              --help                     this text

            Exit status (it follows the verdict in report.txt and report.json):
              0  the verdict PASSED: every promise held
              3  the verdict FAILED: the campaign ran and a promise was broken (the verdict names each: deliveries
                 lost, 5xx other than 503, 503 without Retry-After, answers slower than --hang-ms or none, bad
                 signatures, answers other than 202 and 503 during a fault, a fault not recovered from)
              1  no verdict: the campaign could not run or finish (no JDK 25, the platform never started, an error)
              2  a wrong command line (or --target while the sources are newer than the build)
            """;

    static ChaosOptions parse(Path home, Path workingDirectory, List<String> args) {
        Map<String, String> values = BenchOptions.values(USAGE, List.of("--short", "--keep-data", "--no-aot-training", "--help"), args);
        boolean shortForm = values.containsKey("--short");
        var options = new ChaosOptions(
                home,
                Optional.ofNullable(values.get("--target")).map(URI::create),
                Optional.ofNullable(values.get("--token")),
                Optional.ofNullable(values.get("--data-dir")).map(workingDirectory::resolve),
                Optional.ofNullable(values.get("--out")).map(workingDirectory::resolve),
                shortForm,
                groups(values.getOrDefault("--groups", String.join(",", GROUPS))),
                number(values, "--rate", 100, 1),
                number(values, "--endpoints", 2, 1),
                Duration.ofSeconds(number(values, "--fault-seconds", shortForm ? 6 : 30, 1)),
                number(values, "--kills", shortForm ? 1 : 3, 0),
                Duration.ofSeconds(number(values, "--warmup-seconds", shortForm ? 5 : 20, 0)),
                Duration.ofSeconds(number(values, "--pause-seconds", shortForm ? 2 : 15, 0)),
                Duration.ofSeconds(number(values, "--recovery-timeout", 300, 1)),
                Duration.ofSeconds(number(values, "--drain-timeout", shortForm ? 90 : 180, 1)),
                Duration.ofMillis(number(values, "--hang-ms", 5000, 1)),
                values.containsKey("--seed") ? Long.parseLong(values.get("--seed").trim()) : System.currentTimeMillis(),
                number(values, "--max-minutes", 180, 1),
                Duration.ofSeconds(number(values, "--startup-timeout", 300, 1)),
                values.containsKey("--keep-data"),
                !shortForm && !values.containsKey("--target") && !values.containsKey("--no-aot-training"));
        if (options.target.isPresent() && options.token.isEmpty()) {
            throw new IllegalArgumentException("--target needs --token (the platform's admin token)");
        }
        return options;
    }

    /** The faults to inject, in order: one at a time first, then combined. */
    List<Fault> plan() {
        List<Fault> plan = new ArrayList<>();
        if (groups.contains("kills")) {
            for (int round = 1; round <= kills; round++) {
                for (String role : List.of(PlatformProcesses.GATEWAY, PlatformProcesses.INGEST, PlatformProcesses.DELIVERY)) {
                    plan.add(new Fault.Kill(role, round));
                }
            }
        }
        for (var dependency : List.of(List.of(PlatformProcesses.KAFKA), List.of(PlatformProcesses.POSTGRES),
                List.of(PlatformProcesses.KAFKA, PlatformProcesses.POSTGRES))) {
            String group = dependency.size() == 2 ? "combined" : dependency.getFirst().equals(PlatformProcesses.KAFKA) ? "kafka" : "postgres";
            if (groups.contains(group) && !(shortForm && group.equals("combined"))) {
                plan.add(new Fault.Freeze(dependency, faultDuration));
                if (!shortForm) {
                    plan.add(new Fault.Stop(dependency, faultDuration));
                }
            }
        }
        if (groups.contains("receivers")) {
            if (shortForm) {
                plan.add(new Fault.Misbehave(HostileReceiver.Mode.NEVER_ANSWERS, faultDuration));
            } else {
                for (var mode : HostileReceiver.Mode.values()) {
                    if (mode != HostileReceiver.Mode.HEALTHY) {
                        plan.add(new Fault.Misbehave(mode, faultDuration));
                    }
                }
            }
        }
        return plan;
    }

    Map<String, Object> describe() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("target", target.map(URI::toString).orElse("bin/run-local started by the campaign"));
        settings.put("form", shortForm ? "short" : "long");
        settings.put("groups", groups);
        settings.put("rate", rate);
        settings.put("healthyEndpoints", endpoints);
        settings.put("misbehavingEndpoints", 1);
        settings.put("faultSeconds", faultDuration.toSeconds());
        settings.put("killsPerService", kills);
        settings.put("warmupSeconds", warmup.toSeconds());
        settings.put("pauseSeconds", pause.toSeconds());
        settings.put("recoveryTimeoutSeconds", recoveryTimeout.toSeconds());
        settings.put("drainTimeoutSeconds", drainTimeout.toSeconds());
        settings.put("hangMillis", hang.toMillis());
        settings.put("seed", seed);
        return settings;
    }

    private static List<String> groups(String text) {
        List<String> chosen = new ArrayList<>();
        for (String name : text.split(",")) {
            String trimmed = name.trim();
            if (!GROUPS.contains(trimmed)) {
                throw new IllegalArgumentException("unknown group '" + trimmed + "': choose from " + GROUPS);
            }
            chosen.add(trimmed);
        }
        return GROUPS.stream().filter(chosen::contains).toList();
    }

    private static int number(Map<String, String> values, String name, int fallback, int minimum) {
        return BenchOptions.number(values, name, fallback, minimum);
    }
}
