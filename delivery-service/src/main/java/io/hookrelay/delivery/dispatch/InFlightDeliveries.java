package io.hookrelay.delivery.dispatch;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs attempts in the background, at most {@code max-in-flight} at a time across all endpoints.
 * Whoever hands an attempt over (the Kafka listener, the retry poller) does not wait for it: each
 * attempt's delivery row is already leased in PostgreSQL, so if this process dies the row comes
 * due again and another process makes the attempt. That is what keeps a slow receiver from
 * holding up the consumption of other messages.
 */
@Component
class InFlightDeliveries implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InFlightDeliveries.class);

    private final DeliveryAttempt attempt;
    private final int capacity;
    private final Semaphore slots;
    private volatile boolean running;

    InFlightDeliveries(DeliveryAttempt attempt, DeliveryProperties properties) {
        this.attempt = attempt;
        this.capacity = properties.maxInFlight();
        this.slots = new Semaphore(capacity);
    }

    /** Starts the attempt unless too many are in flight (or shutting down); then the caller keeps it. */
    boolean start(DeliveryTask task) {
        if (!running || !slots.tryAcquire()) {
            return false;
        }
        attempt.run(task)
                .doFinally(signal -> slots.release())
                .subscribe(null, error -> log.warn("Attempt {} of {} to {} did not complete; its row comes due"
                        + " again after the lease: {}", task.attempt(), task.message().messageId(),
                        task.endpoint().id(), error.toString()));
        return true;
    }

    /** Free slots right now. */
    int available() {
        return running ? slots.availablePermits() : 0;
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
