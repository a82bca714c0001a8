package io.hookrelay.local;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one process of the platform running, as Kubernetes keeps a container: when it dies while
 * the platform is up, it is started again after a {@link RestartBackoff} (a start that fails is
 * tried again at the same pace), and each death and restart is logged. What a process is, how it
 * starts and how its death is read belong to its {@link Kind}.
 */
final class Supervisor<T> {

    /** One kind of supervised process. */
    interface Kind<T> {

        /** Starts it: the first time, or again after a death ({@code again}). */
        T start(boolean again);

        /** Completes when {@code running} has ended. */
        CompletableFuture<?> exit(T running);

        long pid(T process);

        /**
         * How {@code dead} ended, for the log ("exited with status 137 (SIGKILL) after 12 s"),
         * after releasing what it held; empty when it was stopped on purpose and must stay down.
         */
        Optional<String> death(T dead, Duration uptime);

        /** Where to read about it. */
        String log(T process);
    }

    private final String name;
    private final Kind<T> kind;
    private final RestartBackoff backoff;
    private final ScheduledExecutorService restarts;
    private final PrintStream out;
    private T current;
    private Instant startedAt;
    private int deathsInARow;
    private int restartCount;
    private boolean stopped;

    Supervisor(String name, Kind<T> kind, RestartBackoff backoff, ScheduledExecutorService restarts, PrintStream out) {
        this.name = name;
        this.kind = kind;
        this.backoff = backoff;
        this.restarts = restarts;
        this.out = out;
    }

    /** Starts the first process. */
    synchronized T start() {
        run(false);
        return current;
    }

    /** The process running now (a new one after each restart). */
    synchronized T current() {
        return current;
    }

    synchronized int restarts() {
        return restartCount;
    }

    /** Restarts nothing from now on; returns the process of the moment, for the caller to stop. */
    synchronized T stopRestarting() {
        stopped = true;
        return current;
    }

    private void run(boolean again) {
        T process = kind.start(again);
        current = process;
        startedAt = Instant.now();
        kind.exit(process).whenComplete((ended, failure) -> died(process));
    }

    private synchronized void died(T process) {
        if (stopped || process != current) {
            return;
        }
        Duration uptime = Duration.between(startedAt, Instant.now());
        Optional<String> how = kind.death(process, uptime);
        if (how.isEmpty()) {
            out.printf("run-local: %s (pid %d) was stopped on request after %d s; not restarting it (log: %s)%n",
                    name, kind.pid(process), uptime.toSeconds(), kind.log(process));
            return;
        }
        deathsInARow = backoff.wasStable(uptime) ? 1 : deathsInARow + 1;
        Duration delay = backoff.delay(deathsInARow);
        out.printf("run-local: %s (pid %d) %s; restarting in %d s (%d death%s in a row; log: %s)%n",
                name, kind.pid(process), how.get(), delay.toSeconds(), deathsInARow, deathsInARow == 1 ? "" : "s",
                kind.log(process));
        restarts.schedule(this::restart, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void restart() {
        if (stopped) {
            return;
        }
        try {
            run(true);
            restartCount++;
            out.printf("run-local: %s restarted (pid %d)%n", name, kind.pid(current));
        } catch (RuntimeException e) {
            // the jar removed by a rebuild; a database with no room yet for its recovery: keep trying
            deathsInARow++;
            Duration delay = backoff.delay(deathsInARow);
            out.printf("run-local: %s could not be restarted (%s); trying again in %d s%n", name, e.getMessage(), delay.toSeconds());
            restarts.schedule(this::restart, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
