package io.hookrelay.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * Writes bytes to a server as they are and reads one HTTP/1.1 response back: for requests a
 * normal HTTP client refuses to send (CR or NUL in headers, raw non-ASCII in the request line,
 * conflicting lengths, oversized lines). Loopback only.
 */
final class RawHttp {

    /** What came back: a status, the server closing without a full response, or nothing in time. */
    record Answer(Kind kind, int status, String contentType, byte[] body) {

        enum Kind {
            ANSWERED,
            CLOSED,
            TIMED_OUT
        }
    }

    private RawHttp() {}

    /** @param halfClose shut our sending side after the request, so the server reads end-of-stream */
    static Answer exchange(int port, byte[] request, boolean halfClose, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) timeout.toMillis());
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
                if (halfClose) {
                    socket.shutdownOutput();
                }
            } catch (IOException refusedMidway) {
                // the server may answer and close before reading everything (a 413, a 431): read on
            }
            return read(socket, deadline);
        } catch (SocketTimeoutException e) {
            return new Answer(Answer.Kind.TIMED_OUT, 0, null, new byte[0]);
        } catch (IOException e) {
            return new Answer(Answer.Kind.CLOSED, 0, null, new byte[0]);
        }
    }

    private static Answer read(Socket socket, long deadline) throws IOException {
        InputStream in = socket.getInputStream();
        var received = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        while (true) {
            Answer complete = parse(received.toByteArray());
            if (complete != null) {
                return complete;
            }
            if (System.nanoTime() > deadline) {
                return new Answer(Answer.Kind.TIMED_OUT, 0, null, received.toByteArray());
            }
            int n;
            try {
                n = in.read(chunk);
            } catch (SocketTimeoutException e) {
                return new Answer(Answer.Kind.TIMED_OUT, 0, null, received.toByteArray());
            } catch (IOException reset) {
                n = -1;
            }
            if (n < 0) {
                Answer last = parseAtEof(received.toByteArray());
                return last != null ? last : new Answer(Answer.Kind.CLOSED, 0, null, received.toByteArray());
            }
            received.write(chunk, 0, n);
        }
    }

    /** A complete final response in {@code bytes}, or null when more is needed. 1xx answers are skipped. */
    private static Answer parse(byte[] bytes) {
        int start = 0;
        while (true) {
            int headEnd = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), start);
            if (headEnd < 0) {
                return null;
            }
            String head = new String(bytes, start, headEnd - start, StandardCharsets.ISO_8859_1);
            int status = status(head);
            int bodyStart = headEnd + 4;
            if (status >= 100 && status < 200) {
                start = bodyStart;
                continue;
            }
            String contentType = header(head, "content-type");
            String length = header(head, "content-length");
            if (length != null) {
                int expected = Integer.parseInt(length.trim());
                if (bytes.length - bodyStart < expected) {
                    return null;
                }
                return answer(status, contentType, java.util.Arrays.copyOfRange(bytes, bodyStart, bodyStart + expected));
            }
            String encoding = header(head, "transfer-encoding");
            if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
                return dechunk(bytes, bodyStart, status, contentType);
            }
            if (status == 204 || status == 304) {
                return answer(status, contentType, new byte[0]);
            }
            return null; // delimited by the connection closing
        }
    }

    private static Answer parseAtEof(byte[] bytes) {
        int headEnd = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (headEnd < 0) {
            return null;
        }
        Answer complete = parse(bytes);
        if (complete != null) {
            return complete;
        }
        String head = new String(bytes, 0, headEnd, StandardCharsets.ISO_8859_1);
        return answer(status(head), header(head, "content-type"),
                java.util.Arrays.copyOfRange(bytes, headEnd + 4, bytes.length));
    }

    private static Answer dechunk(byte[] bytes, int from, int status, String contentType) {
        var body = new ByteArrayOutputStream();
        int at = from;
        while (true) {
            int lineEnd = indexOf(bytes, "\r\n".getBytes(StandardCharsets.US_ASCII), at);
            if (lineEnd < 0) {
                return null;
            }
            String sizeLine = new String(bytes, at, lineEnd - at, StandardCharsets.ISO_8859_1);
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            int dataStart = lineEnd + 2;
            if (size == 0) {
                return answer(status, contentType, body.toByteArray());
            }
            if (bytes.length < dataStart + size + 2) {
                return null;
            }
            body.write(bytes, dataStart, size);
            at = dataStart + size + 2;
        }
    }

    private static Answer answer(int status, String contentType, byte[] body) {
        return new Answer(Answer.Kind.ANSWERED, status, contentType, body);
    }

    private static int status(String head) {
        String[] statusLine = head.split("\r\n", 2)[0].split(" ");
        return statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : 0;
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static int indexOf(byte[] bytes, byte[] needle, int from) {
        outer:
        for (int i = from; i <= bytes.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
