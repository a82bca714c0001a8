package io.hookrelay.local;

import io.hookrelay.infra.ChildProcess;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One service process kept running: when it dies while the platform is up (a crash, an
 * out-of-memory kill, someone's {@code kill -9}), it is started again, on the same port and with
 * the same settings, after a {@link RestartBackoff}; each death is logged with its exit status.
 */
final class SupervisedService {

    private final String name;
    private final Supplier<ChildProcess> launch;
    private final RestartBackoff backoff;
    private final ScheduledExecutorService restarts;
    private final PrintStream out;
    private ChildProcess current;
    private Instant startedAt;
    private int deathsInARow;
    private int restartCount;
    private boolean stopped;

    SupervisedService(
            String name, Supplier<ChildProcess> launch, RestartBackoff backoff, ScheduledExecutorService restarts, PrintStream out) {
        this.name = name;
        this.launch = launch;
        this.backoff = backoff;
        this.restarts = restarts;
        this.out = out;
    }

    /** Starts the first process; the caller waits for it to be healthy. */
    synchronized ChildProcess start() {
        run();
        return current;
    }

    /** The process running now (a new one after each restart). */
    synchronized ChildProcess current() {
        return current;
    }

    synchronized int restarts() {
        return restartCount;
    }

    /** Asks the process to stop (SIGTERM) and restarts nothing from now on. */
    void terminate() {
        ChildProcess process;
        synchronized (this) {
            stopped = true;
            process = current;
        }
        process.terminate();
    }

    /** Stops for good: no more restarts, SIGTERM, SIGKILL after {@code grace}. */
    void stop(Duration grace) {
        terminate();
        current().stop(grace);
    }

    private void run() {
        ChildProcess process = launch.get();
        current = process;
        startedAt = Instant.now();
        process.process().onExit().thenRun(() -> died(process));
    }

    private synchronized void died(ChildProcess process) {
        if (stopped || process != current) {
            return;
        }
        Duration uptime = Duration.between(startedAt, Instant.now());
        deathsInARow = backoff.wasStable(uptime) ? 1 : deathsInARow + 1;
        Duration delay = backoff.delay(deathsInARow);
        out.printf("run-local: %s (pid %d) exited with status %s after %d s; restarting in %d s (%d death%s in a row; log: %s)%n",
                name, process.pid(), ExitStatus.describe(process.process().exitValue()), uptime.toSeconds(),
                delay.toSeconds(), deathsInARow, deathsInARow == 1 ? "" : "s", process.log());
        restarts.schedule(this::restart, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void restart() {
        if (stopped) {
            return;
        }
        try {
            run();
            restartCount++;
            out.printf("run-local: %s restarted (pid %d)%n", name, current.pid());
        } catch (RuntimeException e) {
            // the jar removed by a rebuild, say: keep trying at the backoff's pace
            deathsInARow++;
            Duration delay = backoff.delay(deathsInARow);
            out.printf("run-local: %s could not be restarted (%s); trying again in %d s%n", name, e.getMessage(), delay.toSeconds());
            restarts.schedule(this::restart, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
