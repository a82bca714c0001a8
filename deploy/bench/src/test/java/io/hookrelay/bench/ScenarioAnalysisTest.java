package io.hookrelay.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hookrelay.signer.WebhookHeaders;
import io.hookrelay.signer.WebhookSecret;
import io.hookrelay.signer.WebhookSigner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioAnalysisTest {

    static final long MS = 1_000_000;
    static final long S = 1_000_000_000;
    final WebhookSecret secret = WebhookSecret.generate();

    @Test
    void measuresLatencyFromTheScheduledTimeNotFromWhenTheRequestWentOut() {
        var sent = new SentMessages(1);
        sent.sending(0, 0, 400 * MS);
        sent.answered(0, 202, "msg_a", 500 * MS);
        var deliveries = recorder(1);
        deliver(deliveries, "msg_a", 0, 700 * MS);

        var analysis = new ScenarioAnalysis(sent, deliveries, 0, Duration.ofSeconds(1)).run();

        assertThat(analysis.acceptLatency().p50()).isCloseTo(500, within(0.5));
        assertThat(analysis.endToEndLatency().p50()).isCloseTo(700, within(0.5));
    }

    @Test
    void countsLostLateDuplicatedAndRefusedMessages() {
        var sent = new SentMessages(5);
        for (int i = 0; i < 5; i++) {
            sent.sending(i, i * MS, i * MS);
        }
        sent.answered(0, 202, "msg_0", 10 * MS);
        sent.answered(1, 202, "msg_1", 10 * MS);
        sent.answered(2, 202, "msg_2", 10 * MS);
        sent.answered(3, 429, null, 10 * MS);
        sent.failed(4, new java.util.concurrent.TimeoutException("slow"), 10 * MS);
        var deliveries = recorder(1);
        deliver(deliveries, "msg_0", 0, 50 * MS);
        deliver(deliveries, "msg_0", 0, 60 * MS);
        deliver(deliveries, "msg_1", 0, 2 * S);

        var outcome = new ScenarioAnalysis(sent, deliveries, 0, Duration.ofSeconds(1)).run()
                .outcome(Duration.ofSeconds(3), false, Duration.ofSeconds(120));

        assertThat(outcome.accepted()).isEqualTo(3);
        assertThat(outcome.delivered()).isEqualTo(2);
        assertThat(outcome.lost()).isEqualTo(1);
        assertThat(outcome.lostNote()).contains("may still owe");
        assertThat(outcome.duplicates()).isEqualTo(1);
        assertThat(outcome.late()).isEqualTo(1);
        assertThat(outcome.non202ByStatus()).containsEntry("429", 1);
        assertThat(outcome.clientErrors()).containsEntry("timeout (TimeoutException)", 1);
    }

    @Test
    void expectsEveryAcceptedMessageAtEveryEndpoint() {
        var sent = new SentMessages(2);
        sent.sending(0, 0, 0);
        sent.sending(1, 0, 0);
        sent.answered(0, 202, "msg_0", MS);
        sent.answered(1, 202, "msg_1", MS);
        var deliveries = recorder(3);
        for (int endpoint = 0; endpoint < 3; endpoint++) {
            deliver(deliveries, "msg_0", endpoint, 5 * MS);
        }
        deliver(deliveries, "msg_1", 0, 5 * MS);

        var outcome = new ScenarioAnalysis(sent, deliveries, 0, Duration.ofSeconds(1)).run()
                .outcome(Duration.ZERO, false, Duration.ofSeconds(1));

        assertThat(outcome.expectedDeliveries()).isEqualTo(6);
        assertThat(outcome.delivered()).isEqualTo(4);
        assertThat(outcome.lost()).isEqualTo(2);
    }

    @Test
    void ratesDivideByTheIntervalsTheIssueDefines() {
        var sent = new SentMessages(2);
        sent.sending(0, 0, 0);
        sent.sending(1, 0, 0);
        sent.answered(0, 202, "msg_0", 100 * MS);
        sent.answered(1, 202, "msg_1", 500 * MS);
        var deliveries = recorder(1);
        deliver(deliveries, "msg_0", 0, 300 * MS);
        deliver(deliveries, "msg_1", 0, 1100 * MS);

        var outcome = new ScenarioAnalysis(sent, deliveries, 0, Duration.ofSeconds(1)).run()
                .outcome(Duration.ZERO, true, Duration.ofSeconds(1));

        assertThat(outcome.acceptRate()).as("accepted / (last 202 - first send)").isCloseTo(4.0, within(1e-9));
        assertThat(outcome.deliveryRate()).as("deliveries / (first 202 -> last delivery)").isCloseTo(2.0, within(1e-9));
    }

    @Test
    void percentilesComeFromTheHistogram() {
        var histogram = Latency.histogram();
        for (int millis = 1; millis <= 1000; millis++) {
            Latency.record(histogram, millis * MS);
        }

        var latency = Latency.of(histogram);

        assertThat(latency.count()).isEqualTo(1000);
        assertThat(latency.p50()).isCloseTo(500, within(0.5));
        assertThat(latency.p90()).isCloseTo(900, within(0.5));
        assertThat(latency.p99()).isCloseTo(990, within(1.0));
        assertThat(latency.p999()).isCloseTo(999, within(1.0));
        assertThat(latency.max()).isCloseTo(1000, within(1.0));
    }

    @Test
    void bucketsTheSeriesBySecondOfArrival() {
        var sent = new SentMessages(3);
        for (int i = 0; i < 3; i++) {
            sent.sending(i, 0, 0);
            sent.answered(i, 202, "msg_" + i, 10 * MS);
        }
        var deliveries = recorder(1);
        deliver(deliveries, "msg_0", 0, 200 * MS);
        deliver(deliveries, "msg_1", 0, 1500 * MS);
        deliver(deliveries, "msg_2", 0, 1600 * MS);

        var series = new ScenarioAnalysis(sent, deliveries, 0, Duration.ofSeconds(5)).run().series().seconds();

        assertThat(series).extracting(TimeSeries.Second::accepted).containsExactly(3L, 0L);
        assertThat(series).extracting(TimeSeries.Second::delivered).containsExactly(1L, 2L);
        assertThat(series.get(1).endToEndP99Millis()).isCloseTo(1600, within(20.0));
    }

    @Test
    void verifiesTheSampleAndCountsForgedSignatures() {
        var deliveries = new DeliveryRecorder(List.of(secret.encoded()), 2);
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        var good = WebhookSigner.of(secret).headers("msg_1", Instant.now().getEpochSecond(), body);
        var forged = new WebhookHeaders("msg_2", good.timestamp(), good.signature());

        deliveries.arrived(0, good, body, 1);
        deliveries.arrived(0, forged, body, 2);

        assertThat(deliveries.verified()).isEqualTo(1);
        assertThat(deliveries.badSignatures()).isEqualTo(1);
    }

    private DeliveryRecorder recorder(int endpoints) {
        return new DeliveryRecorder(java.util.Collections.nCopies(endpoints, secret.encoded()), 1_000_000);
    }

    private static void deliver(DeliveryRecorder deliveries, String id, int endpoint, long nanos) {
        deliveries.arrived(endpoint, new WebhookHeaders(id, "0", "v1,x"), new byte[0], nanos);
    }
}
