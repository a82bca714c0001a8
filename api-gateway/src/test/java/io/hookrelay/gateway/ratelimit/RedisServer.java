package io.hookrelay.gateway.ratelimit;

import io.hookrelay.infra.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A real Redis on a loopback port, nothing persisted: Debian's {@code redis-server}, which
 * {@code .ci/run} installs on a fresh machine.
 */
final class RedisServer implements AutoCloseable {

    private final Process process;
    private final int port;

    private RedisServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static RedisServer start() {
        return start(Ports.freePort());
    }

    static RedisServer start(int port) {
        return start(port, null);
    }

    /** A Redis that wants {@code password} (AUTH) from every client. */
    static RedisServer startWithPassword(String password) {
        return start(Ports.freePort(), password);
    }

    private static RedisServer start(int port, String password) {
        Path binary = Path.of("/usr/bin/redis-server");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("redis-server is not installed: .ci/run installs it (apt-get install redis-server)");
        }
        try {
            var command = new java.util.ArrayList<>(java.util.List.of(binary.toString(), "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"));
            if (password != null) {
                command.addAll(java.util.List.of("--requirepass", password));
            }
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            var server = new RedisServer(process, port);
            server.awaitListening();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI uri() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    int port() {
        return port;
    }

    private void awaitListening() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            try (var socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("redis-server exited with " + process.exitValue());
                }
                Thread.onSpinWait();
            }
        }
        close();
        throw new IllegalStateException("redis-server did not listen on " + port + " within 10 s");
    }

    @Override
    public void close() {
        process.toHandle().destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
