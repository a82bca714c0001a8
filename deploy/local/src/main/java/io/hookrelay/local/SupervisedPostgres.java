package io.hookrelay.local;

import io.hookrelay.infra.PostgresServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The platform's PostgreSQL kept running, as its own supervisor (Kubernetes, systemd) keeps a
 * production database: when the postmaster dies while the platform is up, it is started again on
 * the same port and data directory after a {@link RestartBackoff}, so the services, which only
 * ever lose connections, carry on by themselves. A full disk is the case in point: a WAL write
 * that fails is a PANIC, the crash recovery that follows cannot finish while the disk is full, and
 * the postmaster exits; once there is room, the next start recovers.
 *
 * <p>A postmaster that was asked to shut down (by {@code pg_ctl stop}, or SIGTERM, SIGINT or SIGQUIT,
 * as the fault campaign stops it for a planned outage) is not started again: whoever stopped it owns
 * it. Its log says so ("received … shutdown request"), which is how the two are told apart; the
 * postmaster is not this process's child, so there is no exit status to read.
 */
final class SupervisedPostgres implements AutoCloseable {

    private static final Pattern SHUTDOWN_REQUESTED = Pattern.compile("received (smart|fast|immediate) shutdown request");
    private static final Pattern STARTED = Pattern.compile("database system is ready to accept connections|starting PostgreSQL");
    /** How long a restart may take: a crash recovery replays the WAL since the last checkpoint. */
    private static final Duration RESTART_WAIT = Duration.ofSeconds(60);

    private final Path dataDirectory;
    private final Path logFile;
    private final PrintStream out;
    private final Supervisor<PostgresServer> supervisor;
    /** Where the log stood when the server of the moment started: its part of the log follows. */
    private volatile long logAtStart;

    SupervisedPostgres(Path dataDirectory, Path logFile, RestartBackoff backoff, ScheduledExecutorService restarts, PrintStream out) {
        this.dataDirectory = dataDirectory;
        this.logFile = logFile;
        this.out = out;
        this.supervisor = new Supervisor<>("PostgreSQL", new Supervisor.Kind<>() {
            @Override
            public PostgresServer start(boolean again) {
                logAtStart = logSize();
                // the first start initialises the directory if it must; a restart is pg_ctl's, as the server ran before
                return again ? PostgresServer.restart(dataDirectory, logFile, RESTART_WAIT) : PostgresServer.start(dataDirectory, 0, logFile);
            }

            @Override
            public CompletableFuture<?> exit(PostgresServer running) {
                return ProcessHandle.of(running.pid()).map(ProcessHandle::onExit)
                        .orElse(CompletableFuture.completedFuture(null));
            }

            @Override
            public long pid(PostgresServer process) {
                return process.pid();
            }

            @Override
            public Optional<String> death(PostgresServer dead, Duration uptime) {
                try {
                    dead.close(); // its lock on the directory, its watchdog; nothing left to stop
                } catch (RuntimeException e) {
                    // nothing left to stop
                }
                return askedToShutDown(logLinesSince(logAtStart)) ? Optional.empty()
                        : Optional.of("exited after " + uptime.toSeconds() + " s");
            }

            @Override
            public String log(PostgresServer process) {
                return logFile.toString();
            }
        }, backoff, restarts, out);
    }

    /** Starts the server on a free port, which its restarts keep (they start it as it ran). */
    PostgresServer start() {
        return supervisor.start();
    }

    /** The server running now (a new one after each restart). */
    PostgresServer current() {
        return supervisor.current();
    }

    int restarts() {
        return supervisor.restarts();
    }

    /**
     * Stops the server for good: nothing is restarted from now on. A server someone else started
     * in the directory after a requested shutdown (the fault campaign does) is stopped too.
     */
    @Override
    public void close() {
        try {
            supervisor.stopRestarting().close();
        } finally {
            stopServerIn(dataDirectory, "started by someone else", out);
        }
    }

    /** Asks a PostgreSQL still running in {@code dataDirectory} (by its postmaster.pid) to shut down, and waits for it. */
    static void stopServerIn(Path dataDirectory, String which, PrintStream out) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
            ProcessHandle.of(pid)
                    .filter(handle -> handle.info().command().map(c -> c.contains("postgres")).orElse(false))
                    .ifPresent(server -> {
                        out.println("  stopping a PostgreSQL " + which + " (pid " + pid + ")");
                        server.destroy(); // SIGTERM: a smart shutdown
                        server.onExit().orTimeout(30, TimeUnit.SECONDS).join();
                    });
        } catch (IOException | RuntimeException e) {
            out.println("  could not inspect " + pidFile + ": " + e.getMessage());
        }
    }

    /**
     * Whether the last run of the server ended because someone asked it to: its log since the
     * start has a shutdown request, and no later start.
     */
    static boolean askedToShutDown(List<String> logSinceStart) {
        boolean requested = false;
        for (String line : logSinceStart) {
            if (SHUTDOWN_REQUESTED.matcher(line).find()) {
                requested = true;
            } else if (STARTED.matcher(line).find()) {
                requested = false;
            }
        }
        return requested;
    }

    private long logSize() {
        try {
            return Files.exists(logFile) ? Files.size(logFile) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The log written since {@code offset}, at most its last megabyte (a shutdown request is near the end). */
    private List<String> logLinesSince(long offset) {
        try (var file = Files.newByteChannel(logFile)) {
            long from = Math.max(Math.min(offset, file.size()), file.size() - (1 << 20));
            var bytes = ByteBuffer.allocate((int) (file.size() - from));
            file.position(from);
            while (bytes.hasRemaining() && file.read(bytes) > 0) {
                // until the end as it was
            }
            return new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            return List.of(); // unreadable: restart, as for any other death
        }
    }
}
