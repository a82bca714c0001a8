package io.hookrelay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fault campaign's short form on a platform it starts itself: one SIGKILL of each service,
 * Kafka and PostgreSQL frozen for 6 s each, a receiver that never answers. The promises it checks
 * (docs/reliability.md): nothing accepted is lost, clients get no 5xx but 503s with Retry-After and
 * never hang, every fault is recovered from by itself within a bound, and the misbehaving
 * endpoint does not slow the healthy ones.
 *
 * <p>Runs in every {@code ./mvnw verify} (about 3 minutes; {@code -Dhookrelay.chaos=false} skips
 * it). The load is 30 messages/s to three endpoints, well within what a 2-core CI machine serves:
 * this test judges how the platform takes faults, not how much it carries (bin/bench does that,
 * and docs/reliability.md shows the same campaign at 100 messages/s, where catching up after a
 * kill saturates the machine). Slow answers before the first fault — the JVMs' first seconds under
 * load after the platform's start — are reported, not judged (ADR 0035).
 */
@DisabledIfSystemProperty(named = "hookrelay.chaos", matches = "false")
class ChaosIT {

    static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();
    /** A restarted service on a 2-core CI machine answers within ~30 s; a loaded one can take minutes. */
    static final double RECOVERY_BOUND_SECONDS = Double.parseDouble(System.getProperty("hookrelay.chaos.recovery-bound", "180"));
    /** The healthy endpoints' end-to-end latency while the other endpoint holds every request it gets. */
    static final double HEALTHY_P99_BOUND_MILLIS = 5_000;
    /** Messages per second: a third of what saturates a 2-core machine once a backlog is caught up. */
    static final int RATE = 30;

    @TempDir
    Path out;

    @Test
    void losesNothingAnswersFastAndRecoversFromEveryFaultByItself() throws Exception {
        List<String> args = List.of("--short", "--out", out.toString(), "--seed", "14", "--rate", Integer.toString(RATE),
                "--recovery-timeout", Long.toString((long) RECOVERY_BOUND_SECONDS));
        var log = new ByteArrayOutputStream();

        new Chaos(ChaosOptions.parse(REPOSITORY, REPOSITORY, args), args, new PrintStream(log, true, StandardCharsets.UTF_8)).run();

        String text = Files.readString(out.resolve("report.txt"));
        System.out.println(text); // the figures of a passing run too, in failsafe's ChaosIT-output.txt
        JsonNode report = JsonMapper.builder().build().readTree(Files.readString(out.resolve("report.json")));
        JsonNode totals = report.path("totals");
        assertThat(report.path("faults")).as(text).extracting(f -> f.path("fault").asString()).containsExactly(
                "SIGKILL api-gateway #1", "SIGKILL ingest-service #1", "SIGKILL delivery-service #1",
                "freeze kafka 6 s", "freeze postgresql 6 s", "receiver accepts and never answers 6 s");
        assertThat(totals.path("accepted").asLong()).as(text).isPositive();
        assertThat(totals.path("lost").asLong()).as("lost\n" + text).isZero();
        assertThat(totals.path("delivered").asLong() + totals.path("owed").asLong()).as(text)
                .isEqualTo(totals.path("expectedDeliveries").asLong());
        assertThat(totals.path("otherServerErrors").asLong()).as("5xx other than 503\n" + text).isZero();
        assertThat(totals.path("hangs").asLong() - totals.path("hangsBeforeTheFirstFault").asLong())
                .as("answers slower than 5 s, besides those late before the first fault\n" + text).isZero();
        assertThat(report.path("beforeTheFirstFault").path("requests").asLong()).as(text).isPositive();
        assertThat(report.path("beforeTheFirstFault").path("lost").asLong()).as("lost before the first fault\n" + text).isZero();
        assertThat(totals.path("badSignatures").asLong()).as(text).isZero();
        for (JsonNode fault : report.path("faults")) {
            String name = fault.path("fault").asString();
            assertThat(fault.path("lost").asLong()).as(name + " lost\n" + text).isZero();
            assertThat(fault.path("hangs").asLong()).as(name + ": answers slower than 5 s\n" + text).isZero();
            assertThat(fault.path("unavailableWithoutRetryAfter").asLong()).as(name + ": 503 without Retry-After\n" + text).isZero();
            assertThat(fault.path("acceptRecoverySeconds").isNumber()).as(name + " accepting again\n" + text).isTrue();
            assertThat(fault.path("deliveryRecoverySeconds").isNumber()).as(name + " delivering again\n" + text).isTrue();
            assertThat(Math.max(fault.path("acceptRecoverySeconds").asDouble(), fault.path("deliveryRecoverySeconds").asDouble()))
                    .as(name + " recovery\n" + text).isLessThanOrEqualTo(RECOVERY_BOUND_SECONDS);
        }
        JsonNode receiverFault = report.path("faults").get(5);
        assertThat(receiverFault.path("healthyLatency").path("count").asLong()).as(text).isPositive();
        assertThat(receiverFault.path("healthyLatency").path("p99").asDouble()).as("healthy endpoints slowed\n" + text)
                .isLessThan(HEALTHY_P99_BOUND_MILLIS);
        assertThat(receiverFault.path("hostileRecoverySeconds").isNumber()).as("misbehaving endpoint delivered to again\n" + text)
                .isTrue();
        // a request already late when the first fault began is the warm-up's, as its hangs are (ADR 0035)
        assertThat(report.path("notes").valueStream().map(JsonNode::asString))
                .as(text).allMatch(note -> note.startsWith(FaultAnalysis.NOT_JUDGED));
        // what clients may see within each fault is the verdict's rule (ChaosVerdict, ChaosVerdictTest), not a copy here
        assertThat(report.path("verdict").path("brokenPromises")).as(text).isEmpty();
        assertThat(report.path("verdict").path("passed").asBoolean()).as("the verdict\n" + text).isTrue();
    }
}
