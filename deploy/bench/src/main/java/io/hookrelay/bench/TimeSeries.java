package io.hookrelay.bench;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Per-second counts from a scenario's start: messages accepted, deliveries made, and the
 * end-to-end p50/p99 of the deliveries made in that second (what the chart draws).
 */
final class TimeSeries {

    /** One second of a scenario. */
    record Second(int second, long accepted, long delivered, double endToEndP50Millis, double endToEndP99Millis) {}

    private final long startNanos;
    private final List<long[]> counts = new ArrayList<>();
    private final List<Histogram> endToEnd = new ArrayList<>();

    TimeSeries(long startNanos) {
        this.startNanos = startNanos;
    }

    void accepted(long atNanos) {
        bucket(atNanos)[0]++;
    }

    void delivered(long atNanos, long endToEndNanos) {
        int second = second(atNanos);
        bucket(atNanos)[1]++;
        // per second, 2 digits in ms are plenty for a chart and keep 300 histograms small
        endToEnd.get(second).recordValue(Math.min(Math.max(1, endToEndNanos / 1_000_000), 3_600_000));
    }

    List<Second> seconds() {
        List<Second> seconds = new ArrayList<>();
        for (int i = 0; i < counts.size(); i++) {
            Histogram histogram = endToEnd.get(i);
            boolean any = histogram.getTotalCount() > 0;
            seconds.add(new Second(i, counts.get(i)[0], counts.get(i)[1],
                    any ? histogram.getValueAtPercentile(50) : Double.NaN,
                    any ? histogram.getValueAtPercentile(99) : Double.NaN));
        }
        return seconds;
    }

    private int second(long atNanos) {
        return (int) Math.max(0, (atNanos - startNanos) / 1_000_000_000L);
    }

    private long[] bucket(long atNanos) {
        int second = second(atNanos);
        while (counts.size() <= second) {
            counts.add(new long[2]);
            endToEnd.add(new Histogram(1, 3_600_000, 2));
        }
        return counts.get(second);
    }
}
