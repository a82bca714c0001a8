package io.hookrelay.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Joins what was sent with what arrived, once a scenario is over: latencies from the scheduled
 * time, losses, lateness, the rates and the per-second series.
 */
final class ScenarioAnalysis {

    private final SentMessages sent;
    private final DeliveryRecorder deliveries;
    private final long startNanos;
    private final Duration late;
    private final Histogram accept = Latency.histogram();
    private final Histogram endToEnd = Latency.histogram();
    private final TimeSeries series;
    private final Map<String, Integer> non202 = new TreeMap<>();
    private int accepted;
    private long firstSend = Long.MAX_VALUE;
    private long firstAccept = Long.MAX_VALUE;
    private long lastAccept = Long.MIN_VALUE;
    private long lastDelivery = Long.MIN_VALUE;
    private long delivered;
    private long lateCount;
    private long unexpected;

    ScenarioAnalysis(SentMessages sent, DeliveryRecorder deliveries, long startNanos, Duration late) {
        this.sent = sent;
        this.deliveries = deliveries;
        this.startNanos = startNanos;
        this.late = late;
        this.series = new TimeSeries(startNanos);
    }

    ScenarioAnalysis run() {
        Map<String, Integer> indexById = new HashMap<>();
        for (int i = 0; i < sent.capacity(); i++) {
            countAnswer(i, indexById);
        }
        for (var arrival : deliveries.firstArrivals()) {
            Integer index = indexById.get(arrival.messageId());
            if (index == null) {
                unexpected++;
                continue;
            }
            long nanos = arrival.nanos() - sent.scheduledNanos(index);
            Latency.record(endToEnd, nanos);
            series.delivered(arrival.nanos(), nanos);
            delivered++;
            lateCount += nanos > late.toNanos() ? 1 : 0;
            lastDelivery = Math.max(lastDelivery, arrival.nanos());
        }
        return this;
    }

    private void countAnswer(int index, Map<String, Integer> indexById) {
        int status = sent.status(index);
        if (status == SentMessages.SKIPPED) {
            return;
        }
        firstSend = Math.min(firstSend, sent.scheduledNanos(index));
        if (status == 202 && sent.messageId(index) != null) {
            accepted++;
            long at = sent.answeredNanos(index);
            Latency.record(accept, at - sent.scheduledNanos(index));
            series.accepted(at);
            firstAccept = Math.min(firstAccept, at);
            lastAccept = Math.max(lastAccept, at);
            indexById.put(sent.messageId(index), index);
        } else if (status > 0) {
            non202.merge(Integer.toString(status), 1, Integer::sum);
        } else if (status == SentMessages.NOT_ANSWERED) {
            non202.merge("no answer", 1, Integer::sum);
        }
    }

    ScenarioResult.Outcome outcome(Duration drain, boolean drained, Duration timeout) {
        long expected = (long) accepted * deliveries.endpoints();
        long lost = expected - delivered;
        String note = lost == 0 ? ""
                : "not delivered within " + timeout.toSeconds() + " s after sending ended: the platform may still owe them";
        return new ScenarioResult.Outcome(accepted, Map.copyOf(non202), sent.failures(),
                rate(accepted, firstSend, lastAccept), expected, delivered, rate(delivered, firstAccept, lastDelivery),
                lost, note, deliveries.duplicates(), lateCount, late.toMillis(), unexpected, deliveries.verified(),
                deliveries.badSignatures(), drain.toMillis() / 1000.0, drained);
    }

    Latency acceptLatency() {
        return Latency.of(accept);
    }

    Latency endToEndLatency() {
        return Latency.of(endToEnd);
    }

    TimeSeries series() {
        return series;
    }

    long startNanos() {
        return startNanos;
    }

    /** count / (to - from) in events per second; 0 when there is no interval to divide by. */
    static double rate(long count, long fromNanos, long toNanos) {
        if (count == 0 || fromNanos == Long.MAX_VALUE || toNanos == Long.MIN_VALUE || toNanos <= fromNanos) {
            return 0;
        }
        return count * 1e9 / (toNanos - fromNanos);
    }
}
