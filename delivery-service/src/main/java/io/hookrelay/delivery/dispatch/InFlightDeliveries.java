package io.hookrelay.delivery.dispatch;

import io.hookrelay.delivery.isolation.EndpointGuards;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Runs attempts in the background, at most {@code max-in-flight} at a time across all endpoints,
 * counting each from its start until its outcome is durable, and at most
 * {@code max-in-flight-per-application} of any one application's being sent at once, so an
 * application with many endpoints, slow receivers or a huge backlog cannot take every slot of the
 * process. Whoever hands an attempt over (the Kafka listener, the retry poller) does not wait for
 * it: each attempt's delivery row is already leased in PostgreSQL, so if this process dies the row
 * comes due again and another process makes the attempt. That is what keeps a slow receiver from
 * holding up the consumption of other messages. An attempt refused for want of room stays with
 * the caller, which leaves its row to the retry poller: deferred, never dropped.
 *
 * <p>Two bounds, because they protect different things. The process's slots bound the attempts
 * whose request may have gone out but whose outcome is not yet written: what a crash of this
 * process can repeat, and what it holds in memory. The application's share bounds the requests
 * it has out, where a slow receiver holds time; an attempt gives its share back when its request
 * is over, not when its outcome has committed. So that an application with fast receivers cannot
 * fill the process with outcomes waiting for a slow database either, its attempts not yet written
 * are held to half the process's slots (or its share, if that is larger). Before that split (issue 12's fan-out), one
 * application's attempts waiting for a busy PostgreSQL held its whole share, so nearly every
 * first attempt of a 10-endpoint fan-out was refused at hand-over and went round through the
 * retry poller, loading the database further.
 */
@Component
class InFlightDeliveries implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InFlightDeliveries.class);

    private final Attempts attempts;
    private final EndpointGuards guards;
    private final int capacity;
    private final int perApplication;
    private final Semaphore slots;
    private final int unwrittenPerApplication;
    /** Each application's attempts in this process; one with none has no entry. */
    private final ConcurrentHashMap<String, Usage> byApplication = new ConcurrentHashMap<>();
    private final Counter processFull;
    private final Counter applicationFull;
    private final Counter endpointFull;
    private volatile boolean running;

    InFlightDeliveries(Attempts attempts, EndpointGuards guards, DeliveryProperties properties, MeterRegistry meters) {
        this.attempts = attempts;
        this.guards = guards;
        this.capacity = properties.maxInFlight();
        this.perApplication = properties.maxInFlightPerApplication();
        this.unwrittenPerApplication = Math.max(perApplication, capacity / 2);
        this.slots = new Semaphore(capacity);
        this.processFull = meters.counter("hookrelay.delivery.handover.refused", "reason", "process_full");
        this.applicationFull = meters.counter("hookrelay.delivery.handover.refused", "reason", "application_share");
        this.endpointFull = meters.counter("hookrelay.delivery.handover.refused", "reason", "endpoint_full");
    }

    /** Starts the attempt unless too many are in flight (or shutting down); then the caller keeps it. */
    boolean start(DeliveryTask task) {
        Refusal refusal = tryStart(task);
        count(refusal);
        return refusal == Refusal.NONE;
    }

    /**
     * Starts the attempt, waiting up to {@code wait} for room (tries again after 5, 10, 20 … ms);
     * completes with false if there was none by then, and the caller keeps the attempt.
     */
    Mono<Boolean> start(DeliveryTask task, Duration wait) {
        return startOrWait(task, 5, 0, wait.toMillis());
    }

    private Mono<Boolean> startOrWait(DeliveryTask task, long delayMillis, long waitedMillis, long maxWaitMillis) {
        Refusal refusal = tryStart(task);
        if (refusal == Refusal.NONE) {
            return Mono.just(true);
        }
        if (refusal == Refusal.STOPPED || waitedMillis + delayMillis > maxWaitMillis) {
            count(refusal);
            return Mono.just(false);
        }
        return Mono.delay(Duration.ofMillis(delayMillis))
                .flatMap(tick -> startOrWait(task, delayMillis * 2, waitedMillis + delayMillis, maxWaitMillis));
    }

    private Refusal tryStart(DeliveryTask task) {
        String appId = task.message().appId();
        if (!running) {
            return Refusal.STOPPED;
        }
        // The endpoint's slots and queue are taken: another attempt would only be deferred.
        if (!guards.hasRoom(task.endpoint().id())) {
            return Refusal.ENDPOINT_FULL;
        }
        if (!slots.tryAcquire()) {
            return Refusal.PROCESS_FULL;
        }
        if (!takeApplicationSlot(appId)) {
            slots.release();
            return Refusal.APPLICATION_FULL;
        }
        var applicationSlot = new ApplicationSlot(appId);
        Mono.defer(() -> attempts.run(task, applicationSlot::sent))
                .doFinally(signal -> {
                    applicationSlot.ended();
                    slots.release();
                })
                .subscribe(null, error -> log.warn("Attempt {} of {} to {} did not complete; its row comes due"
                        + " again after the lease: {}", task.attempt(), task.message().messageId(),
                        task.endpoint().id(), error.toString()));
        return Refusal.NONE;
    }

    private void count(Refusal refusal) {
        switch (refusal) {
            case PROCESS_FULL -> processFull.increment();
            case APPLICATION_FULL -> applicationFull.increment();
            case ENDPOINT_FULL -> endpointFull.increment();
            case NONE, STOPPED -> { }
        }
    }

    private enum Refusal { NONE, STOPPED, PROCESS_FULL, APPLICATION_FULL, ENDPOINT_FULL }

    /** Makes attempts ({@link DeliveryAttempt}). */
    interface Attempts {

        /**
         * Completes once the attempt's outcome is durable. Calls {@code sent} once no request is
         * out any more for it (perhaps more than once: the first call counts; an attempt that
         * ends without calling it gives its place back when it ends).
         */
        Mono<Void> run(DeliveryTask task, Runnable sent);
    }

    /** Free slots right now. */
    int available() {
        return running ? slots.availablePermits() : 0;
    }

    /** Applications with no room left right now: claiming their due rows would only hand them back. */
    Set<String> fullApplications() {
        return byApplication.entrySet().stream()
                .filter(entry -> entry.getValue().full(perApplication, unwrittenPerApplication))
                .map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The most requests one application may have out at once. */
    int perApplication() {
        return perApplication;
    }

    private boolean takeApplicationSlot(String appId) {
        boolean[] taken = {false};
        byApplication.compute(appId, (id, usage) -> {
            Usage current = usage == null ? Usage.NONE : usage;
            if (current.full(perApplication, unwrittenPerApplication)) {
                return usage;
            }
            taken[0] = true;
            return new Usage(current.out() + 1, current.unwritten() + 1);
        });
        return taken[0];
    }

    private void change(String appId, int out, int unwritten) {
        byApplication.computeIfPresent(appId, (id, usage) -> {
            var changed = new Usage(usage.out() + out, usage.unwritten() + unwritten);
            return changed.unwritten() <= 0 ? null : changed;
        });
    }

    /** One application's attempts: those with a request out, and all whose outcome is not written yet. */
    private record Usage(int out, int unwritten) {

        static final Usage NONE = new Usage(0, 0);

        boolean full(int maxOut, int maxUnwritten) {
            return out >= maxOut || unwritten >= maxUnwritten;
        }
    }

    /**
     * One attempt's place in its application's share, given back once: when its request is over
     * ({@link #sent}), or at the latest when the attempt ends ({@link #ended}), which also ends
     * its count among the application's attempts not yet written.
     */
    private final class ApplicationSlot {

        private final String appId;
        private final AtomicBoolean out = new AtomicBoolean(true);

        ApplicationSlot(String appId) {
            this.appId = appId;
        }

        void sent() {
            if (out.compareAndSet(true, false)) {
                change(appId, -1, 0);
            }
        }

        void ended() {
            change(appId, out.compareAndSet(true, false) ? -1 : 0, -1);
        }
    }

    @Override
    public void start() {
        running = true;
    }

    /** Lets the attempts in flight finish (up to 20 s); the rest are picked up again after their lease. */
    @Override
    public void stop() {
        running = false;
        try {
            if (slots.tryAcquire(capacity, Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS)) {
                slots.release(capacity);
            } else {
                log.info("{} attempts still in flight at shutdown; they will be retried after their lease",
                        capacity - slots.availablePermits());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the Kafka listener (which stops before it, at a higher phase) hands nothing more over. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2000;
    }
}
