package io.hookrelay.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A loopback TCP proxy in front of PostgreSQL that a test can stall: a frozen database as the
 * service sees it, without freezing the embedded PostgreSQL the JVM's other tests share.
 */
final class StallingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final List<Socket> sockets = new ArrayList<>();
    private boolean stalled;
    private byte[] stallAfter;

    StallingProxy(int target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("stalling-proxy").start(this::acceptAll);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Nothing passes either way until {@link #resume}. */
    synchronized void stall() {
        stalled = true;
    }

    /**
     * The first bytes from the service that contain {@code marker} still reach PostgreSQL (it
     * executes them); then nothing passes, its answer included, until {@link #resume}.
     */
    synchronized void stallAfterSending(String marker) {
        stallAfter = marker.getBytes(StandardCharsets.UTF_8);
    }

    synchronized boolean stalled() {
        return stalled;
    }

    synchronized void resume() {
        stalled = false;
        stallAfter = null;
        notifyAll();
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket database = new Socket(InetAddress.getLoopbackAddress(), target);
                synchronized (sockets) {
                    sockets.add(client);
                    sockets.add(database);
                }
                Thread.ofVirtual().start(() -> pump(client, database, true));
                Thread.ofVirtual().start(() -> pump(database, client, false));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromService) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                awaitFlowing();
                out.write(buffer, 0, read);
                out.flush();
                if (fromService) {
                    stallIfMarked(buffer, read);
                }
            }
        } catch (IOException | InterruptedException e) {
            // one side closed: close the other
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private synchronized void awaitFlowing() throws InterruptedException {
        while (stalled) {
            wait();
        }
    }

    private synchronized void stallIfMarked(byte[] buffer, int length) {
        if (stallAfter != null && contains(Arrays.copyOf(buffer, length), stallAfter)) {
            stallAfter = null;
            stalled = true;
        }
    }

    private static boolean contains(byte[] data, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= data.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (data[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        resume();
        server.close();
        synchronized (sockets) {
            sockets.forEach(StallingProxy::closeQuietly);
        }
    }
}
