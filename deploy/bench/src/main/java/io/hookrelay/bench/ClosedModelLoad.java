package io.hookrelay.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * As fast as the other side accepts: a fixed number of requests in flight, each answer starting
 * the next, until {@code count} messages were sent or the deadline passed. Latency is measured from
 * each request's own send time (there is no schedule to be late against).
 */
final class ClosedModelLoad {

    private final MessageSender sender;
    private final int concurrency;

    ClosedModelLoad(MessageSender sender, int concurrency) {
        this.sender = sender;
        this.concurrency = concurrency;
    }

    SentMessages run(int count, long deadlineNanos) {
        var sent = new SentMessages(count);
        var next = new AtomicInteger();
        var done = new CountDownLatch(Math.min(concurrency, count));
        for (int lane = 0; lane < Math.min(concurrency, count); lane++) {
            sendNext(sent, next, count, deadlineNanos, done);
        }
        try {
            while (!done.await(1, TimeUnit.SECONDS)) {
                // waiting for every lane to finish
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return sent;
    }

    /** Each lane sends one message at a time; its answer starts the lane's next message. */
    private void sendNext(SentMessages sent, AtomicInteger next, int count, long deadline, CountDownLatch done) {
        int index = next.getAndIncrement();
        if (index >= count || System.nanoTime() >= deadline) {
            done.countDown();
            return;
        }
        sender.send(sent, index, System.nanoTime(), () -> sendNext(sent, next, count, deadline, done));
    }
}
