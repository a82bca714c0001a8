package io.hookrelay.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** A latency distribution in milliseconds, from an HdrHistogram recorded in nanoseconds (3 significant digits). */
record Latency(long count, double p50, double p90, double p99, double p999, double max) {

    static final Latency NONE = new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** A histogram for values from 1 µs to an hour, in nanoseconds. */
    static Histogram histogram() {
        return new Histogram(TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.HOURS.toNanos(1), 3);
    }

    /** Records a value, clamped into the histogram's range (a negative one can only be clock noise). */
    static void record(Histogram histogram, long nanos) {
        histogram.recordValue(Math.min(Math.max(nanos, 0), histogram.getHighestTrackableValue()));
    }

    static Latency of(Histogram histogram) {
        if (histogram.getTotalCount() == 0) {
            return NONE;
        }
        return new Latency(histogram.getTotalCount(), millis(histogram.getValueAtPercentile(50)),
                millis(histogram.getValueAtPercentile(90)), millis(histogram.getValueAtPercentile(99)),
                millis(histogram.getValueAtPercentile(99.9)), millis(histogram.getMaxValue()));
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
