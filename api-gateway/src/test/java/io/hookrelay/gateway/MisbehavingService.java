package io.hookrelay.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A service on loopback that takes a request and then fails the gateway in one of the ways a
 * dying or stalled service does. Raw sockets: an HTTP server library would not reset mid-body.
 */
final class MisbehavingService implements AutoCloseable {

    enum Failure {
        /** reads the headers and a part of the body, then resets the connection (RST) */
        RESET_WHILE_RECEIVING_THE_BODY,
        /** reads the whole request, then closes the connection without a word */
        CLOSE_AFTER_THE_REQUEST,
        /** reads the whole request and never answers */
        NEVER_ANSWER
    }

    volatile Failure failure = Failure.CLOSE_AFTER_THE_REQUEST;
    final AtomicInteger requests = new AtomicInteger();
    private final ServerSocket server;
    private final List<Socket> held = new ArrayList<>();

    MisbehavingService() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("misbehaving-service").start(this::acceptAll);
    }

    String uri() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> fail(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void fail(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            int contentLength = contentLength(readHeaders(in));
            requests.incrementAndGet();
            switch (failure) {
                case RESET_WHILE_RECEIVING_THE_BODY -> {
                    in.readNBytes(Math.min(1024, contentLength / 2));
                    socket.setSoLinger(true, 0); // close() now sends RST
                    socket.close();
                }
                case CLOSE_AFTER_THE_REQUEST -> {
                    in.readNBytes(contentLength);
                    socket.close();
                }
                case NEVER_ANSWER -> {
                    in.readNBytes(contentLength);
                    synchronized (held) {
                        held.add(socket);
                    }
                }
            }
        } catch (IOException e) {
            closeQuietly(socket);
        }
    }

    private static String readHeaders(InputStream in) throws IOException {
        var headers = new StringBuilder();
        while (!headers.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the headers ended");
            }
            headers.append((char) b);
        }
        return headers.toString();
    }

    private static int contentLength(String headers) {
        for (String line : headers.split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return 0;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /**
     * Closes the connections of requests never answered: the gateway may keep such a connection
     * in its pool after timing out, and the next test's request would meet the old silence.
     */
    void hangUp() {
        synchronized (held) {
            held.forEach(MisbehavingService::closeQuietly);
            held.clear();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        hangUp();
    }

    static byte[] body(int bytes) {
        var json = new StringBuilder("{\"eventType\":\"order.created\",\"payload\":{\"pad\":\"");
        while (json.length() < bytes - 3) {
            json.append('x');
        }
        return json.append("\"}}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
