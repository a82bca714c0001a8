package io.hookrelay.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What happened to every message the load generator meant to send, by index: when it was due (or
 * sent, in the closed model), when its 202 came, and the id the platform gave it. Written by the
 * event loop that completes each request; read once the scenario is over.
 */
final class SentMessages {

    static final int NOT_ANSWERED = 0;
    static final int SKIPPED = -1;
    static final int FAILED = -2;

    private final long[] scheduledNanos;
    private final long[] sentNanos;
    private final long[] answeredNanos;
    private final int[] status;
    private final String[] messageIds;
    private final boolean[] retryAfter;
    private final String[] failure;
    private final Map<String, Integer> failures = new TreeMap<>();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicLong lastSendNanos = new AtomicLong();
    private final AtomicLong maxSendLagNanos = new AtomicLong();
    private final AtomicInteger sent = new AtomicInteger();

    SentMessages(int capacity) {
        scheduledNanos = new long[capacity];
        sentNanos = new long[capacity];
        answeredNanos = new long[capacity];
        status = new int[capacity];
        messageIds = new String[capacity];
        retryAfter = new boolean[capacity];
        failure = new String[capacity];
    }

    int capacity() {
        return status.length;
    }

    /** Called just before the request goes out; {@code scheduled} is when it was due. */
    void sending(int index, long scheduled, long now) {
        scheduledNanos[index] = scheduled;
        sentNanos[index] = now;
        outstanding.incrementAndGet();
        sent.incrementAndGet();
        lastSendNanos.accumulateAndGet(now, Math::max);
        maxSendLagNanos.accumulateAndGet(now - scheduled, Math::max);
    }

    void skipped(int index, long scheduled) {
        scheduledNanos[index] = scheduled;
        status[index] = SKIPPED;
    }

    void answered(int index, int httpStatus, String messageId, long now) {
        answered(index, httpStatus, messageId, now, false);
    }

    /** @param withRetryAfter whether the answer carried a {@code Retry-After} header */
    void answered(int index, int httpStatus, String messageId, long now, boolean withRetryAfter) {
        answeredNanos[index] = now;
        retryAfter[index] = withRetryAfter;
        messageIds[index] = messageId;
        status[index] = httpStatus;
        outstanding.decrementAndGet();
    }

    void failed(int index, Throwable error, long now) {
        answeredNanos[index] = now;
        status[index] = FAILED;
        failure[index] = describe(error);
        synchronized (failures) {
            failures.merge(failure[index], 1, Integer::sum);
        }
        outstanding.decrementAndGet();
    }

    int outstanding() {
        return outstanding.get();
    }

    int sent() {
        return sent.get();
    }

    long lastSendNanos() {
        return lastSendNanos.get();
    }

    long maxSendLagNanos() {
        return maxSendLagNanos.get();
    }

    long scheduledNanos(int index) {
        return scheduledNanos[index];
    }

    /** When request {@code index} went out (0 if it never did): behind its schedule when the client was late. */
    long sentNanos(int index) {
        return sentNanos[index];
    }

    long answeredNanos(int index) {
        return answeredNanos[index];
    }

    int status(int index) {
        return status[index];
    }

    /** Why request {@code index} got no answer (a time-out, a refused connection …), or null. */
    String failure(int index) {
        return failure[index];
    }

    boolean hasRetryAfter(int index) {
        return retryAfter[index];
    }

    String messageId(int index) {
        return messageIds[index];
    }

    Map<String, Integer> failures() {
        synchronized (failures) {
            return Map.copyOf(failures);
        }
    }

    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String name = root.getClass().getSimpleName();
        return name.contains("Timeout") ? "timeout (" + name + ")" : name;
    }
}
