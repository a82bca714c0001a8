package io.hookrelay.bench;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Fixed-rate load: one timer thread starts each request at its scheduled time, whether or not the
 * earlier ones were answered. Beyond {@code maxOutstanding} requests in flight the generator itself
 * is the limit; those messages are counted as skipped rather than delayed, so the offered rate
 * stays honest.
 */
final class OpenModelLoad {

    private final MessageSender sender;
    private final int maxOutstanding;

    OpenModelLoad(MessageSender sender, int maxOutstanding) {
        this.sender = sender;
        this.maxOutstanding = maxOutstanding;
    }

    SentMessages run(Schedule schedule) {
        return run(schedule, new SentMessages(schedule.count()), () -> true);
    }

    /**
     * Sends into {@code sent} (which others may read meanwhile) until the schedule ends or
     * {@code keepGoing} says no: a campaign of unknown length stops its load that way.
     */
    SentMessages run(Schedule schedule, SentMessages sent, BooleanSupplier keepGoing) {
        for (int index = 0; index < schedule.count() && keepGoing.getAsBoolean(); index++) {
            long due = schedule.dueNanos(index);
            waitUntil(due);
            if (sent.outstanding() >= maxOutstanding) {
                sent.skipped(index, due);
            } else {
                sender.send(sent, index, due);
            }
        }
        return sent;
    }

    private static void waitUntil(long dueNanos) {
        for (long wait = dueNanos - System.nanoTime(); wait > 0; wait = dueNanos - System.nanoTime()) {
            LockSupport.parkNanos(wait);
        }
    }
}
