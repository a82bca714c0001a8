package io.hookrelay.delivery.dispatch;

import io.hookrelay.delivery.isolation.EndpointGuards;
import io.hookrelay.delivery.retry.NoRoom;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs attempts in the background, at most {@code max-in-flight} at a time across all endpoints,
 * counting each from its start until its outcome is durable, and at most
 * {@code max-in-flight-per-application} of any one application's being sent at once, so an
 * application with many endpoints, slow receivers or a huge backlog cannot take every slot of the
 * process. Whoever hands an attempt over (the Kafka listener, the retry poller, a resend) does not
 * wait for it: each attempt's delivery row is already leased in PostgreSQL, so if this process
 * dies the row comes due again and another process makes the attempt. That is what keeps a slow
 * receiver from holding up the consumption of other messages.
 *
 * <p>Two bounds, because they protect different things. The process's slots bound the attempts
 * whose request may have gone out but whose outcome is not yet written: what a crash of this
 * process can repeat, and what it holds in memory. The application's share bounds the requests
 * it has out, where a slow receiver holds time; an attempt gives its share back when its request
 * is over, not when its outcome has committed. So that an application with fast receivers cannot
 * fill the process with outcomes waiting for a slow database either, its attempts not yet written
 * are held to half the process's slots (or its share, if that is larger).
 *
 * <p>An attempt that finds either bound reached waits in memory, in its application's line, and
 * starts the moment there is room again (ADR 0039; one whose endpoint's own slots and their line
 * are taken is refused, so the consumer paces itself to the receiver): while a
 * fan-out drains, that is milliseconds, and a round trip through PostgreSQL and the retry poller
 * (a write, a claim, a read of the message) would cost more than the attempt itself. The lines
 * hold at most four attempts per process slot, each for at most {@code room-wait}; the
 * applications take turns at the room that comes back. An attempt for which the lines have no
 * place stays with the caller, and one that waited too long is handed back ({@link HandBack}):
 * both leave their row to the retry poller, deferred, never dropped.
 *
 * <p>An attempt never starts later than its row's lease allows: its request ({@code
 * request-timeout}) and the write of its outcome (a second) must be over before the lease ends, or the
 * poller could claim the row again and a second attempt would run beside the first. It waits in
 * line until {@code room-wait} has passed or that latest start, whichever comes first; one offered
 * after its latest start is refused (counted as waited too long).
 */
@Component
class InFlightDeliveries implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InFlightDeliveries.class);
    private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);
    /**
     * Attempts that may wait per process slot. One Kafka poll hands over up to 500 records, each
     * to every endpoint of its application: 5,000 attempts at once for a 10-endpoint fan-out.
     */
    private static final int WAITING_PER_SLOT = 4;
    private static final String REFUSED = "hookrelay.delivery.handover.refused";
    private static final String WAITED = "hookrelay.delivery.handover.waited";

    private final Attempts attempts;
    private final EndpointGuards guards;
    private final HandBack handBack;
    private final int capacity;
    private final int perApplication;
    private final Semaphore slots;
    private final int unwrittenPerApplication;
    private final Duration maxWait;
    /** An attempt starting later than this before its lease ends might outlive it. */
    private final Duration latestStartBeforeLeaseEnd;
    private final Clock clock;
    /** Attempts that may wait in all, for one application, and for one endpoint. */
    private final int maxWaiting;
    private final int maxWaitingPerApplication;
    private final int maxWaitingPerEndpoint;
    /** Each application's attempts in this process; one with none has no entry. */
    private final ConcurrentHashMap<String, Usage> byApplication = new ConcurrentHashMap<>();
    /** Each application's attempts waiting for room, oldest first; the applications in turn order. */
    private final LinkedHashMap<String, Deque<Waiting>> waiting = new LinkedHashMap<>();
    /** How many of the waiting attempts are for each endpoint (guarded by {@link #waiting}). */
    private final Map<String, Integer> waitingByEndpoint = new HashMap<>();
    private final AtomicInteger waitingCount = new AtomicInteger();
    private final AtomicInteger draining = new AtomicInteger();
    private final Map<Refusal, Counter> refusals = new EnumMap<>(Refusal.class);
    private final Map<Refusal, Counter> waited = new EnumMap<>(Refusal.class);
    private volatile boolean running;
    private Disposable sweeper;

    InFlightDeliveries(
            Attempts attempts,
            EndpointGuards guards,
            HandBack handBack,
            DeliveryProperties properties,
            MeterRegistry meters,
            Clock clock) {
        this.attempts = attempts;
        this.guards = guards;
        this.handBack = handBack;
        this.capacity = properties.maxInFlight();
        this.perApplication = properties.maxInFlightPerApplication();
        this.unwrittenPerApplication = Math.max(perApplication, capacity / 2);
        this.maxWait = properties.roomWait();
        this.latestStartBeforeLeaseEnd = properties.latestStartBeforeLeaseEnd();
        this.clock = clock;
        this.maxWaiting = WAITING_PER_SLOT * capacity;
        this.maxWaitingPerApplication = maxWaiting / 2;
        this.maxWaitingPerEndpoint = capacity;
        this.slots = new Semaphore(capacity);
        refusals.put(Refusal.ENDPOINT_FULL, meters.counter(REFUSED, "reason", "endpoint_full"));
        refusals.put(Refusal.LINE_FULL, meters.counter(REFUSED, "reason", "waiting_full"));
        refusals.put(Refusal.WAITED_TOO_LONG, meters.counter(REFUSED, "reason", "waited_too_long"));
        waited.put(Refusal.PROCESS_FULL, meters.counter(WAITED, "reason", "process_full"));
        waited.put(Refusal.APPLICATION_FULL, meters.counter(WAITED, "reason", "application_share"));
        waited.put(Refusal.BEHIND_OTHERS, meters.counter(WAITED, "reason", "behind_others"));
        meters.gauge("hookrelay.delivery.handover.waiting", waitingCount);
    }

    /**
     * Starts the attempt, or, when the process's slots, its application's share or its endpoint's
     * slots are taken, lines it up behind that application's earlier attempts, to start as soon as
     * there is room, for up to {@code room-wait}; one that waits longer is handed back
     * ({@link HandBack}). False when the attempt neither started nor waits (the lines, or its
     * endpoint's place in them, are full, or the process is stopping): the caller keeps it.
     */
    boolean offer(DeliveryTask task) {
        Refusal refusal = tryOffer(task);
        refused(refusal);
        return refusal == Refusal.NONE;
    }

    /**
     * As {@link #offer(DeliveryTask)}, asking again after 5, 10, 20 … ms for up to {@code wait}
     * while the lines are full; completes with false if they still were.
     */
    Mono<Boolean> offer(DeliveryTask task, Duration wait) {
        return offerOrWait(task, 5, 0, wait.toMillis());
    }

    private Mono<Boolean> offerOrWait(DeliveryTask task, long delayMillis, long waitedMillis, long maxWaitMillis) {
        Refusal refusal = tryOffer(task);
        if (refusal == Refusal.NONE) {
            return Mono.just(true);
        }
        if (refusal == Refusal.STOPPED || refusal == Refusal.WAITED_TOO_LONG || waitedMillis + delayMillis > maxWaitMillis) {
            refused(refusal);
            return Mono.just(false);
        }
        return Mono.delay(Duration.ofMillis(delayMillis))
                .flatMap(tick -> offerOrWait(task, delayMillis * 2, waitedMillis + delayMillis, maxWaitMillis));
    }

    /** NONE when the attempt started or waits in line; else why it did neither. */
    private Refusal tryOffer(DeliveryTask task) {
        if (!running) {
            return Refusal.STOPPED;
        }
        // first come, first started: behind its application's attempts already waiting, if any
        if (waitingCount.get() > 0 && hasLine(task) && lineUp(task, Refusal.BEHIND_OTHERS) == Refusal.NONE) {
            drain();
            return Refusal.NONE;
        }
        Reservation reservation = reserve(task);
        return switch (reservation.refusal()) {
            case NONE -> {
                launch(task, reservation.slot());
                yield Refusal.NONE;
            }
            case PROCESS_FULL, APPLICATION_FULL -> {
                Refusal linedUp = lineUp(task, reservation.refusal());
                // also when it found no place: the slot reserve() took and gave back may be the room a drain missed
                drain();
                yield linedUp;
            }
            // Its endpoint's slots and their line are taken: the caller keeps it (the consumer asks
            // again for handover-wait, which paces it to the receiver; ADR 0013).
            case ENDPOINT_FULL, STOPPED, BEHIND_OTHERS, LINE_FULL, WAITED_TOO_LONG -> reservation.refusal();
        };
    }

    /** Takes a process slot and a place in the application's share, or says which was missing. */
    private Reservation reserve(DeliveryTask task) {
        if (!running) {
            return Reservation.refused(Refusal.STOPPED);
        }
        if (timeToLatestStart(task) <= 0) {
            return Reservation.refused(Refusal.WAITED_TOO_LONG);
        }
        // The endpoint's slots and queue are taken: another attempt would only be deferred.
        if (!guards.hasRoom(task.endpoint().id())) {
            return Reservation.refused(Refusal.ENDPOINT_FULL);
        }
        if (!slots.tryAcquire()) {
            return Reservation.refused(Refusal.PROCESS_FULL);
        }
        String appId = task.message().appId();
        if (!takeApplicationSlot(appId)) {
            slots.release();
            return Reservation.refused(Refusal.APPLICATION_FULL);
        }
        return new Reservation(Refusal.NONE, new ApplicationSlot(appId));
    }

    private void launch(DeliveryTask task, ApplicationSlot applicationSlot) {
        Mono.defer(() -> attempts.run(task, applicationSlot::sent))
                .doFinally(signal -> {
                    applicationSlot.ended();
                    slots.release();
                    drain();
                })
                .subscribe(null, error -> log.warn("Attempt {} of {} to {} did not complete; its row comes due"
                        + " again after the lease: {}", task.attempt(), task.message().messageId(),
                        task.endpoint().id(), error.toString()));
    }

    private boolean hasLine(DeliveryTask task) {
        synchronized (waiting) {
            return waiting.containsKey(task.message().appId());
        }
    }

    /**
     * Puts the attempt at the back of its application's line, to wait until {@code room-wait} has
     * passed or its latest start, whichever is first; NONE if it did, LINE_FULL if the lines are
     * full: four attempts per process slot in all, half of that for one application (it cannot take
     * every place), as many as the process's slots for one endpoint (a receiver that hangs cannot
     * take its application's); WAITED_TOO_LONG if its lease leaves no time to wait.
     */
    private Refusal lineUp(DeliveryTask task, Refusal reason) {
        String endpointId = task.endpoint().id();
        long waitNanos = Math.min(maxWait.toNanos(), timeToLatestStart(task));
        if (waitNanos <= 0) {
            return Refusal.WAITED_TOO_LONG;
        }
        synchronized (waiting) {
            Deque<Waiting> line = waiting.get(task.message().appId());
            if (waitingCount.get() >= maxWaiting
                    || (line != null && line.size() >= maxWaitingPerApplication)
                    || waitingByEndpoint.getOrDefault(endpointId, 0) >= maxWaitingPerEndpoint) {
                return Refusal.LINE_FULL;
            }
            if (line == null) {
                line = new ArrayDeque<>();
                waiting.put(task.message().appId(), line);
            }
            line.addLast(new Waiting(task, System.nanoTime() + waitNanos));
            waitingByEndpoint.merge(endpointId, 1, Integer::sum);
            waitingCount.incrementAndGet();
        }
        Counter counter = waited.get(reason);
        if (counter != null) {
            counter.increment();
        }
        return Refusal.NONE;
    }

    /** Nanoseconds until the latest moment the attempt may start for its lease to outlast it. */
    private long timeToLatestStart(DeliveryTask task) {
        return Duration.between(clock.instant(), task.leaseEnd()).minus(latestStartBeforeLeaseEnd).toNanos();
    }

    private void leftLine(Waiting left) {
        waitingByEndpoint.computeIfPresent(left.task().endpoint().id(), (id, count) -> count == 1 ? null : count - 1);
        waitingCount.decrementAndGet();
    }

    /**
     * Starts what waits and now finds room, and hands back what waited too long. Whoever frees room
     * (an attempt's request over, an attempt ended) or lines an attempt up calls this; calls that
     * arrive while one is draining make it go round again instead of draining beside it, so no
     * wake-up is lost and an attempt that ends at once cannot recurse.
     */
    private void drain() {
        if (waitingCount.get() == 0 || draining.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            try {
                drainOnce();
            } catch (RuntimeException | Error e) {
                // never leave the counter up: every later drain would return at once, and the lines would stay
                log.error("Draining the lines for room failed; the next freed room or sweep drains them again", e);
            }
            missed = draining.addAndGet(-missed);
        } while (missed != 0);
    }

    /**
     * Goes round the applications' lines: starts, oldest first, every attempt that finds room
     * (passing over those whose endpoint has none), stops at the first whose application or the
     * process has none, and hands back what waited too long.
     */
    private void drainOnce() {
        List<Waiting> givenBack = new ArrayList<>();
        List<Map.Entry<DeliveryTask, ApplicationSlot>> ready = new ArrayList<>();
        synchronized (waiting) {
            long now = System.nanoTime();
            boolean processFull = false;
            Set<String> fullEndpoints = new HashSet<>();
            for (String appId : List.copyOf(waiting.keySet())) {
                Deque<Waiting> line = waiting.get(appId);
                boolean startedAny = false;
                for (var it = line.iterator(); it.hasNext(); ) {
                    Waiting next = it.next();
                    if (!running || now - next.deadlineNanos() > 0) {
                        it.remove();
                        leftLine(next);
                        refused(running ? Refusal.WAITED_TOO_LONG : Refusal.STOPPED);
                        givenBack.add(next);
                        continue;
                    }
                    if (processFull) {
                        break;
                    }
                    if (fullEndpoints.contains(next.task().endpoint().id())) {
                        continue;
                    }
                    Reservation reservation = reserve(next.task());
                    if (reservation.refusal() == Refusal.NONE) {
                        it.remove();
                        leftLine(next);
                        ready.add(Map.entry(next.task(), reservation.slot()));
                        startedAny = true;
                    } else if (reservation.refusal() == Refusal.WAITED_TOO_LONG) {
                        it.remove();
                        leftLine(next);
                        refused(Refusal.WAITED_TOO_LONG);
                        givenBack.add(next);
                    } else if (reservation.refusal() == Refusal.ENDPOINT_FULL) {
                        fullEndpoints.add(next.task().endpoint().id());
                    } else if (reservation.refusal() == Refusal.PROCESS_FULL) {
                        processFull = true;
                    } else {
                        break;
                    }
                }
                if (line.isEmpty() || startedAny) {
                    // one that started goes to the back, so the next room goes round the applications
                    waiting.remove(appId);
                    if (!line.isEmpty()) {
                        waiting.put(appId, line);
                    }
                }
            }
        }
        ready.forEach(entry -> launchOrHandBack(entry.getKey(), entry.getValue()));
        givenBack.forEach(left -> handBackQuietly(left.task()));
    }

    private void launchOrHandBack(DeliveryTask task, ApplicationSlot slot) {
        try {
            launch(task, slot);
        } catch (RuntimeException e) {
            log.warn("Could not start attempt {} of {} to {}; handing it back: {}", task.attempt(),
                    task.message().messageId(), task.endpoint().id(), e.toString());
            slot.ended();
            slots.release();
            handBackQuietly(task);
        }
    }

    private void handBackQuietly(DeliveryTask task) {
        try {
            handBack.handBack(task);
        } catch (RuntimeException e) {
            log.warn("Could not hand back attempt {} of {} to {}; its row comes due after its lease: {}", task.attempt(),
                    task.message().messageId(), task.endpoint().id(), e.toString());
        }
    }

    private void refused(Refusal refusal) {
        Counter counter = refusals.get(refusal);
        if (counter != null) {
            counter.increment();
        }
    }

    /** Why an attempt did not start when offered, or when it was at the head of its line. */
    private enum Refusal { NONE, STOPPED, PROCESS_FULL, APPLICATION_FULL, ENDPOINT_FULL, BEHIND_OTHERS, LINE_FULL, WAITED_TOO_LONG }

    private record Reservation(Refusal refusal, ApplicationSlot slot) {

        static Reservation refused(Refusal refusal) {
            return new Reservation(refusal, null);
        }
    }

    /** An attempt waiting for room, until {@code deadlineNanos} ({@link System#nanoTime()}). */
    private record Waiting(DeliveryTask task, long deadlineNanos) {}

    /**
     * Takes back an attempt that was offered and lined up but never started (it waited too long,
     * or the process is stopping): its row is made due for the retry poller. Its lease would
     * otherwise run out with nothing sent, and be reported as an attempt whose outcome is unknown.
     */
    interface HandBack {

        void handBack(DeliveryTask task);
    }

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

    /**
     * The applications and endpoints with no room left right now: claiming their due rows would
     * only line them up, or hand them back at once.
     */
    NoRoom noRoom() {
        Set<String> endpoints = new HashSet<>(guards.fullEndpoints());
        synchronized (waiting) {
            waitingByEndpoint.forEach((endpointId, count) -> {
                if (count >= maxWaitingPerEndpoint) {
                    endpoints.add(endpointId);
                }
            });
        }
        return new NoRoom(fullApplications(), endpoints);
    }

    /** Applications with no room left right now: claiming their due rows would only line them up. */
    Set<String> fullApplications() {
        return byApplication.entrySet().stream()
                .filter(entry -> entry.getValue().full(perApplication, unwrittenPerApplication))
                .map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Attempts waiting for room right now. */
    int waiting() {
        return waitingCount.get();
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
                drain();
            }
        }

        void ended() {
            change(appId, out.compareAndSet(true, false) ? -1 : 0, -1);
        }
    }

    @Override
    public void start() {
        running = true;
        // room coming back starts what waits; this hands back what waited too long while none came
        sweeper = Flux.interval(SWEEP_INTERVAL)
                .doOnNext(tick -> drain())
                .retry()
                .subscribe();
    }

    /**
     * Hands back what waits, then lets the attempts in flight finish (up to 20 s); the rest are
     * picked up again after their lease.
     */
    @Override
    public void stop() {
        running = false;
        if (sweeper != null) {
            sweeper.dispose();
        }
        drain();
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
