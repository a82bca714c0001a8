package io.hookrelay.support.r2dbc;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ValidationDepth;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The liveness check of a connection held for the life of the process (delivery's claimant lock,
 * its LISTEN connection): a round trip every beat, failing when one fails or takes longer than a
 * beat. A beat that comes while a check still runs is dropped, so a check that gets no answer ends
 * as the time-out it is; it used to surface as {@code Flux.interval}'s overflow ("Could not emit
 * tick"), which read like a bug of ours in the logs of the fault campaign.
 */
public final class ConnectionHeartbeat {

    private ConnectionHeartbeat() {}

    /** Emits each beat whose check passed; fails with {@code failure} as its message when one does not. */
    public static Flux<Long> of(Connection connection, Duration beat, String failure) {
        return Flux.interval(beat)
                .onBackpressureDrop()
                .concatMap(tick -> Mono.from(connection.validate(ValidationDepth.REMOTE))
                        .timeout(beat)
                        .flatMap(valid -> valid ? Mono.just(tick) : Mono.error(new IllegalStateException(failure))));
    }
}
