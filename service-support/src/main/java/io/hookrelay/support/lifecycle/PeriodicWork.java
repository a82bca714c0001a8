package io.hookrelay.support.lifecycle;

import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Background work run on each trigger, one run at a time (triggers that arrive during a run are
 * dropped), started and stopped with the application context. Subclasses say when
 * ({@link #triggers()}) and what ({@link #runOnce()}); a run must handle its own errors.
 */
public abstract class PeriodicWork implements SmartLifecycle {

    private volatile Disposable running;

    /** When to run, e.g. {@code Flux.interval(...)}, possibly merged with wake-up signals. */
    protected abstract Flux<?> triggers();

    /** One run; it must not fail (log and complete instead), or the work would stop. */
    protected abstract Mono<?> runOnce();

    @Override
    public void start() {
        running = triggers().onBackpressureDrop().concatMap(trigger -> runOnce(), 1).subscribe();
    }

    @Override
    public void stop() {
        Disposable current = running;
        if (current != null) {
            current.dispose();
        }
        running = null;
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }
}
