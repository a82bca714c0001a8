package io.hookrelay.gateway.warmup;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

/**
 * Tells the warm-up's requests apart from clients' ones, so that the access log and the request
 * metrics show only clients; as an {@link ObservationPredicate}, it keeps them out of
 * {@code http.server.requests} and traces too. The warm-up is served on a loopback port of its own, closed before the
 * public port opens: a client cannot reach it, let alone pass for it.
 *
 * <p>The warm-up authenticates with a credential of its own, so that it runs without an admin
 * token (a Helm install has none by default): 256 random bits made when the gateway starts, kept
 * in this object only, accepted only on the warm-up's port while the warm-up runs.
 */
@Component
public class WarmUpTraffic implements ObservationPredicate {

    /** The token id the warm-up's requests carry to the services (and their logs). */
    public static final String TOKEN_ID = "warm-up";

    private final byte[] credential = newCredential();
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

    /**
     * Whether {@code presented} is the warm-up's credential on one of the warm-up's requests. On any
     * other port, or once the warm-up has ended, it is no credential at all.
     */
    public boolean admits(ServerHttpRequest request, String presented) {
        return carries(request) && MessageDigest.isEqual(credential, presented.getBytes(StandardCharsets.US_ASCII));
    }

    String credential() {
        return new String(credential, StandardCharsets.US_ASCII);
    }

    private static byte[] newCredential() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return ("hr_warmup_" + HexFormat.of().formatHex(random)).getBytes(StandardCharsets.US_ASCII);
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
