package io.hookrelay.local;

import io.hookrelay.infra.ChildProcess;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * One service process kept running: when it dies while the platform is up (a crash, an
 * out-of-memory kill, someone's {@code kill -9}), it is started again, on the same port and with
 * the same settings, after a {@link RestartBackoff}; each death is logged with its exit status.
 */
final class SupervisedService {

    private final Supervisor<ChildProcess> supervisor;

    SupervisedService(
            String name, Supplier<ChildProcess> launch, RestartBackoff backoff, ScheduledExecutorService restarts, PrintStream out) {
        this.supervisor = new Supervisor<>(name, new Supervisor.Kind<>() {
            @Override
            public ChildProcess start(boolean again) {
                return launch.get();
            }

            @Override
            public CompletableFuture<?> exit(ChildProcess running) {
                return running.process().onExit();
            }

            @Override
            public long pid(ChildProcess process) {
                return process.pid();
            }

            @Override
            public Optional<String> death(ChildProcess dead, Duration uptime) {
                // a service stopped on purpose is stopped through this class, which restarts nothing then
                return Optional.of("exited with status " + ExitStatus.describe(dead.process().exitValue()) + " after "
                        + uptime.toSeconds() + " s");
            }

            @Override
            public String log(ChildProcess process) {
                return process.log().toString();
            }
        }, backoff, restarts, out);
    }

    /** Starts the first process; the caller waits for it to be healthy. */
    ChildProcess start() {
        return supervisor.start();
    }

    /** The process running now (a new one after each restart). */
    ChildProcess current() {
        return supervisor.current();
    }

    int restarts() {
        return supervisor.restarts();
    }

    /** Asks the process to stop (SIGTERM) and restarts nothing from now on. */
    void terminate() {
        supervisor.stopRestarting().terminate();
    }

    /** Stops for good: no more restarts, SIGTERM, SIGKILL after {@code grace}. */
    void stop(Duration grace) {
        terminate();
        current().stop(grace);
    }
}
