package io.hookrelay.support.reactor;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Hooks;
import reactor.netty.channel.AbortedException;

/**
 * What becomes of an error that arrives after its subscriber has gone ("dropped"). Reactor's
 * default logs each at ERROR with its whole stack, 160 lines for a response that could not be
 * written because the caller had hung up already: an ingest-service the gateway stopped waiting
 * for (an overload, a cold start) wrote 110 MB of them in five minutes, with CPU it was short of,
 * and hid its real errors among them. A caller that is gone is logged at DEBUG; any other dropped
 * error as before, at ERROR with its stack. Installed once per JVM (Reactor's hooks are global).
 */
public final class DroppedErrors {

    private static final Logger log = LoggerFactory.getLogger(DroppedErrors.class);
    private static final AtomicBoolean installed = new AtomicBoolean();

    private DroppedErrors() {}

    public static void install() {
        if (installed.compareAndSet(false, true)) {
            Hooks.onErrorDropped(DroppedErrors::dropped);
        }
    }

    static void dropped(Throwable error) {
        if (callerGone(error)) {
            log.debug("A response was not written: the caller is gone ({})", error.toString());
        } else {
            log.error("An error arrived after its subscriber was gone", error);
        }
    }

    /** The connection was closed or reset by the other side before or while we wrote to it. */
    public static boolean callerGone(Throwable error) {
        return error instanceof AbortedException || AbortedException.isConnectionReset(error);
    }
}
