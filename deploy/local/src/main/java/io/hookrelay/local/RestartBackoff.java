package io.hookrelay.local;

import java.time.Duration;

/**
 * How long local mode waits before it restarts a service that died, as Kubernetes does for a
 * crashing container (CrashLoopBackOff): {@code first}, doubled after each death in a row, never
 * more than {@code cap}; a service that keeps dying is still retried, every {@code cap}. A run
 * that lasted {@code stableAfter} or longer was healthy: the next death starts from {@code first}
 * again.
 */
record RestartBackoff(Duration first, Duration cap, Duration stableAfter) {

    /** 1 s, 2 s, 4 s … up to 30 s; reset by a minute of running. */
    static final RestartBackoff DEFAULT = new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(60));

    RestartBackoff {
        if (first.isNegative() || first.isZero() || cap.compareTo(first) < 0 || stableAfter.isNegative()) {
            throw new IllegalArgumentException("Backoff needs 0 < first <= cap and stableAfter >= 0");
        }
    }

    /** The wait before restart number {@code deathsInARow} (1 for the first death after a healthy run). */
    Duration delay(int deathsInARow) {
        Duration delay = first;
        for (int i = 1; i < deathsInARow && delay.compareTo(cap) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(cap) > 0 ? cap : delay;
    }

    /** Whether a run of {@code uptime} counts as healthy, resetting the count of deaths in a row. */
    boolean wasStable(Duration uptime) {
        return uptime.compareTo(stableAfter) >= 0;
    }
}
