package io.hookrelay.bench;

import java.time.Duration;

/**
 * The open model's send times: message {@code i} is due at {@code start + i / rate}, whatever
 * happened to the messages before it. Latency is measured from these times, so a platform that
 * stalls cannot hide behind a client that waited for it.
 */
record Schedule(long startNanos, int ratePerSecond, int count) {

    static Schedule of(long startNanos, int ratePerSecond, Duration duration) {
        long count = Math.round(ratePerSecond * (duration.toNanos() / 1e9));
        return new Schedule(startNanos, ratePerSecond, (int) Math.min(Integer.MAX_VALUE, count));
    }

    /** When message {@code index} is due (computed from the start, so rounding never accumulates). */
    long dueNanos(int index) {
        return startNanos + Math.round(index * 1e9 / ratePerSecond);
    }

    /** The first message due after {@code nowNanos}: how far a saturated generator has to skip. */
    int firstDueAfter(long nowNanos) {
        if (nowNanos < startNanos) {
            return 0;
        }
        long index = (long) Math.floor((nowNanos - startNanos) * (double) ratePerSecond / 1e9) + 1;
        return (int) Math.min(count, index);
    }
}
