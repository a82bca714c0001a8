package io.hookrelay.delivery.isolation;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One endpoint's bulkhead: at most {@code limit} requests in flight. A caller that finds it full
 * may wait its turn (first come, first served; at most {@code maxWaiting} callers, each for a
 * bounded time), so a backlog for one endpoint drains at the pace its receiver answers instead of
 * going round through PostgreSQL and the retry poller seconds later. Our own code rather than
 * Resilience4j's {@code Bulkhead} because that one waits by blocking a thread, which a reactive
 * pipeline must never do.
 */
final class EndpointSlots {

    private final int limit;
    private final int maxWaiting;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private int inUse;

    EndpointSlots(int limit, int maxWaiting) {
        this.limit = limit;
        this.maxWaiting = maxWaiting;
    }

    /** A slot now, or none. */
    synchronized boolean tryAcquire() {
        if (inUse < limit) {
            inUse++;
            return true;
        }
        return false;
    }

    /**
     * Completes with true once a slot belongs to the caller, or with false when none came within
     * {@code maxWait} or too many callers wait already. Cancelled while waiting, it gives up its
     * place (or the slot it was just handed).
     */
    Mono<Boolean> acquire(Duration maxWait) {
        return Mono.defer(() -> {
            Waiter waiter;
            synchronized (this) {
                if (inUse < limit) {
                    inUse++;
                    return Mono.just(true);
                }
                if (maxWait.isZero() || waiting.size() >= maxWaiting) {
                    return Mono.just(false);
                }
                waiter = new Waiter();
                waiting.add(waiter);
            }
            return waiter.granted.asMono()
                    .timeout(maxWait, Mono.defer(() -> abandon(waiter) ? Mono.just(false) : waiter.granted.asMono()))
                    .doOnNext(granted -> waiter.delivered = true)
                    .doOnCancel(() -> {
                        // handed a slot it will never use: pass it on (once delivered, the slot is
                        // the caller's to release, whatever it cancels afterwards)
                        if (!abandon(waiter) && !waiter.delivered) {
                            release();
                        }
                    });
        });
    }

    /** Frees a slot: the longest-waiting caller gets it, else it is free again. */
    void release() {
        Waiter next;
        synchronized (this) {
            do {
                next = waiting.poll();
            } while (next != null && !next.settled.compareAndSet(false, true));
            if (next == null) {
                inUse = Math.max(0, inUse - 1);
                return;
            }
        }
        next.granted.tryEmitValue(true);
    }

    /** Callers in flight or waiting; at {@code limit + maxWaiting} nobody else can get in line. */
    synchronized boolean hasRoom() {
        return inUse < limit || waiting.size() < maxWaiting;
    }

    /** True if the waiter gave up its place; false if a slot had already been handed to it. */
    private boolean abandon(Waiter waiter) {
        if (!waiter.settled.compareAndSet(false, true)) {
            return false;
        }
        synchronized (this) {
            waiting.remove(waiter);
        }
        return true;
    }

    private static final class Waiter {
        final Sinks.One<Boolean> granted = Sinks.one();
        /** Set once: by the release that hands this waiter a slot, or by the waiter giving up. */
        final AtomicBoolean settled = new AtomicBoolean();
        /** Set once the caller has received its slot. */
        volatile boolean delivered;
    }
}
