package io.hookrelay.delivery.isolation;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Leave to send one request to an endpoint. Report how it went with {@link #succeeded} or
 * {@link #failed} (feeds the circuit breaker), and always {@link #release} it (frees the bulkhead
 * slot; safe to call more than once, e.g. on cancellation).
 */
public final class EndpointPermit {

    private final CircuitBreaker circuitBreaker;
    private final EndpointSlots slots;
    private final AtomicBoolean released = new AtomicBoolean();

    EndpointPermit(CircuitBreaker circuitBreaker, EndpointSlots slots) {
        this.circuitBreaker = circuitBreaker;
        this.slots = slots;
    }

    /** The receiver answered (2xx, or a 4xx that says nothing about its health). */
    public void succeeded(Duration duration) {
        circuitBreaker.onSuccess(duration.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The receiver failed in a way worth retrying: 5xx, 429, timeout, connection error. */
    public void failed(Duration duration, String reason) {
        circuitBreaker.onError(duration.toNanos(), TimeUnit.NANOSECONDS, new EndpointFailure(reason));
    }

    /** Nothing was sent after all (for example the destination was refused). */
    public void unused() {
        circuitBreaker.releasePermission();
    }

    public void release() {
        if (released.compareAndSet(false, true)) {
            slots.release();
        }
    }

    /** What the circuit breaker records as a failure; carries no stack trace. */
    static final class EndpointFailure extends RuntimeException {
        EndpointFailure(String reason) {
            super(reason, null, false, false);
        }
    }
}
