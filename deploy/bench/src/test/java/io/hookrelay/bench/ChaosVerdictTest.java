package io.hookrelay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChaosVerdictTest {

    static final Duration HANG = Duration.ofSeconds(5);
    static final String GATEWAY_KILL = "SIGKILL api-gateway #1";
    static final String INGEST_KILL = "SIGKILL ingest-service #1";
    static final String RECEIVER_FAULT = "receiver accepts and never answers 6 s";

    @Test
    void passesAndExitsZeroWhenEveryPromiseHeld() {
        var verdict = ChaosVerdict.of(keptFaults(), new TotalsBuilder().build(), HANG);

        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.brokenPromises()).isEmpty();
        assertThat(verdict.exitStatus()).isZero();
        assertThat(verdict.describe()).startsWith("PASSED");
    }

    static Stream<Arguments> brokenPromises() {
        return Stream.of(
                broken("a delivery lost", totals -> totals.lost(2), faults -> faults,
                        "deliveries lost (accepted, never delivered and not owed): 2"),
                broken("a 500", totals -> totals.otherServerErrors(1), faults -> faults,
                        "answers 5xx other than 503: 1"),
                broken("a 503 without Retry-After", totals -> totals.unavailableWithoutRetryAfter(4), faults -> faults,
                        "503s without Retry-After: 4"),
                broken("a hang", totals -> totals.hangs(7), faults -> faults,
                        "answers slower than 5000 ms, or none at all, besides those late before the first fault: 7"),
                broken("a hang after the first fault, beside others before it",
                        totals -> totals.hangs(7).hangsBeforeTheFirstFault(6), faults -> faults,
                        "answers slower than 5000 ms, or none at all, besides those late before the first fault: 1"),
                broken("a bad signature", totals -> totals.badSignatures(1), faults -> faults,
                        "deliveries with a bad signature: 1"),
                broken("a 429 during a fault", totals -> totals,
                        faults -> faults.replace(INGEST_KILL, f -> f.statuses(Map.of("202", 10, "429", 3))),
                        "'SIGKILL ingest-service #1': clients saw 3 × 429"),
                broken("a refused connection while the gateway is up", totals -> totals,
                        faults -> faults.replace(INGEST_KILL,
                                f -> f.statuses(Map.of("202", 10, "no answer: ConnectException", 2))),
                        "'SIGKILL ingest-service #1': clients saw 2 × no answer: ConnectException"),
                broken("no 202 after a fault", totals -> totals,
                        faults -> faults.replace(INGEST_KILL, f -> f.acceptRecovery(null)),
                        "'SIGKILL ingest-service #1': not recovered from (no message sent after it was accepted)"),
                broken("no delivery after a fault", totals -> totals,
                        faults -> faults.replace(INGEST_KILL, f -> f.deliveryRecovery(null)),
                        "'SIGKILL ingest-service #1': not recovered from (no message sent after it was delivered"
                                + " to every healthy endpoint)"),
                broken("the misbehaving endpoint never delivered to again", totals -> totals,
                        faults -> faults.replace(RECEIVER_FAULT, f -> f.hostileRecovery(null)),
                        "'receiver accepts and never answers 6 s': the misbehaving endpoint took no delivery after it"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenPromises")
    void failsAndExitsThreeNamingTheBrokenPromise(String what, UnaryOperator<TotalsBuilder> totals,
            UnaryOperator<FaultsBuilder> faults, String named) {
        var verdict = ChaosVerdict.of(faults.apply(new FaultsBuilder()).build(), totals.apply(new TotalsBuilder()).build(),
                HANG);

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.brokenPromises()).containsExactly(named);
        assertThat(verdict.exitStatus()).isEqualTo(ChaosVerdict.PROMISE_BROKEN).isNotIn(Bench.EXIT_COMPLETED,
                Bench.EXIT_RUN_FAILED, Bench.EXIT_USAGE);
        assertThat(verdict.describe()).isEqualTo("FAILED: " + named);
    }

    @Test
    void doesNotJudgeSlowAnswersBeforeTheFirstFaultButReportsThem() {
        var totals = new TotalsBuilder().hangs(9).hangsBeforeTheFirstFault(9).build();

        var verdict = ChaosVerdict.of(keptFaults(), totals, HANG);

        assertThat(verdict.passed()).isTrue();
        assertThat(totals.hangs()).isEqualTo(9);
        assertThat(totals.hangsFromTheFirstFault()).isZero();
    }

    @Test
    void namesEveryBrokenPromise() {
        var verdict = ChaosVerdict.of(keptFaults(), new TotalsBuilder().lost(1).hangs(2).build(), HANG);

        assertThat(verdict.describe()).isEqualTo("FAILED: deliveries lost (accepted, never delivered and not owed): 1;"
                + " answers slower than 5000 ms, or none at all, besides those late before the first fault: 2");
    }

    @Test
    void aFaultOtherThanAReceiversNeedsNoDeliveryToTheMisbehavingEndpoint() {
        var faults = new FaultsBuilder().replace(INGEST_KILL, f -> f.hostileRecovery(null)).build();

        assertThat(ChaosVerdict.of(faults, new TotalsBuilder().build(), HANG).passed()).isTrue();
    }

    private static Arguments broken(String what, UnaryOperator<TotalsBuilder> totals, UnaryOperator<FaultsBuilder> faults,
            String named) {
        return Arguments.of(what, totals, faults, named);
    }

    private static List<ChaosReport.FaultResult> keptFaults() {
        return new FaultsBuilder().build();
    }

    /** A campaign's totals with every promise kept; each setter breaks one. */
    static final class TotalsBuilder {
        private long lost;
        private long otherServerErrors;
        private long unavailableWithoutRetryAfter;
        private long hangs;
        private long hangsBeforeTheFirstFault;
        private long badSignatures;

        TotalsBuilder lost(long value) {
            lost = value;
            return this;
        }

        TotalsBuilder otherServerErrors(long value) {
            otherServerErrors = value;
            return this;
        }

        TotalsBuilder unavailableWithoutRetryAfter(long value) {
            unavailableWithoutRetryAfter = value;
            return this;
        }

        TotalsBuilder hangs(long value) {
            hangs = value;
            return this;
        }

        TotalsBuilder hangsBeforeTheFirstFault(long value) {
            hangsBeforeTheFirstFault = value;
            return this;
        }

        TotalsBuilder badSignatures(long value) {
            badSignatures = value;
            return this;
        }

        ChaosReport.Totals build() {
            return new ChaosReport.Totals(1_000, 900, 2_700, 2_700 - lost, 12, 0, 0, lost, 3, badSignatures, otherServerErrors,
                    unavailableWithoutRetryAfter, hangs, hangsBeforeTheFirstFault, Map.of());
        }
    }

    /** The short form's faults, every one kept; {@link #replace} changes one. */
    static final class FaultsBuilder {
        private final Map<String, FaultBuilder> faults = new LinkedHashMap<>();

        FaultsBuilder() {
            // while the gateway is down nothing listens: refused connections are what a client must expect
            faults.put(GATEWAY_KILL, new FaultBuilder(GATEWAY_KILL)
                    .statuses(Map.of("202", 20, "503", 87, "no answer: ConnectException", 1_404)));
            faults.put(INGEST_KILL, new FaultBuilder(INGEST_KILL).statuses(Map.of("202", 3, "503", 1_961)));
            faults.put(RECEIVER_FAULT, new FaultBuilder(RECEIVER_FAULT).statuses(Map.of("202", 662)));
        }

        FaultsBuilder replace(String name, UnaryOperator<FaultBuilder> change) {
            faults.put(name, change.apply(faults.get(name)));
            return this;
        }

        List<ChaosReport.FaultResult> build() {
            return faults.values().stream().map(FaultBuilder::build).toList();
        }
    }

    static final class FaultBuilder {
        private final String name;
        private Map<String, Integer> statuses = Map.of("202", 100);
        private Double acceptRecovery = 1.0;
        private Double deliveryRecovery = 2.0;
        private Double hostileRecovery = 3.0;

        FaultBuilder(String name) {
            this.name = name;
        }

        FaultBuilder statuses(Map<String, Integer> value) {
            statuses = value;
            return this;
        }

        FaultBuilder acceptRecovery(Double value) {
            acceptRecovery = value;
            return this;
        }

        FaultBuilder deliveryRecovery(Double value) {
            deliveryRecovery = value;
            return this;
        }

        FaultBuilder hostileRecovery(Double value) {
            hostileRecovery = value;
            return this;
        }

        ChaosReport.FaultResult build() {
            long requests = statuses.values().stream().mapToLong(Integer::longValue).sum();
            long accepted = statuses.getOrDefault("202", 0);
            return new ChaosReport.FaultResult(name, 6, requests, accepted, statuses, statuses.getOrDefault("503", 0), 0, 0,
                    800, 0, Map.of(), 0, accepted * 3, accepted * 3, 0, 0, 0, 0, acceptRecovery, deliveryRecovery, hostileRecovery,
                    new Latency(accepted * 2, 100, 200, 300, 400, 500), 1.0, 8.0, false);
        }
    }
}
