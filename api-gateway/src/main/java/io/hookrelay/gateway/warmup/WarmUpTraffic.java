package io.hookrelay.gateway.warmup;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import java.net.InetSocketAddress;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

/**
 * Tells the warm-up's requests apart from clients' ones, so that the access log and the request
 * metrics show only clients; as an {@link ObservationPredicate}, it keeps them out of
 * {@code http.server.requests} and traces too. The warm-up is served on a loopback port of its own, closed before the
 * public port opens: a client cannot reach it, let alone pass for it.
 */
@Component
public class WarmUpTraffic implements ObservationPredicate {

    private volatile int port = -1;

    /** Whether {@code request} is one of the warm-up's. */
    public boolean carries(ServerHttpRequest request) {
        int warmUpPort = port;
        if (warmUpPort < 0) {
            return false;
        }
        InetSocketAddress local = request.getLocalAddress();
        return local != null && local.getPort() == warmUpPort;
    }

    /** False for the server observation of a warm-up request: it is neither timed nor traced. */
    @Override
    public boolean test(String name, Observation.Context context) {
        return !(context instanceof ServerRequestObservationContext server && carries(server.getCarrier()));
    }

    void servedOn(int port) {
        this.port = port;
    }

    void ended() {
        this.port = -1;
    }
}
