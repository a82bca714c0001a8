package io.hookrelay.gateway.observability;

import java.util.HexFormat;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * W3C Trace Context rules for one request through the gateway: a client's {@code traceparent} is
 * continued only when {@link #continuable} (the tracer then makes the gateway's span its child, see
 * {@link TraceparentGuard}); a missing or malformed one starts a new trace. {@link #traceparent}
 * applies the same rules by hand when tracing is switched off
 * ({@code management.tracing.enabled=false}), so the services still get a trace id. Request ids a
 * client sends are kept when they are short and plain, replaced otherwise, so nothing hostile
 * reaches a log line.
 */
final class TraceContext {

    private static final Pattern TRACEPARENT =
            Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_SPAN = "0".repeat(16);
    private static final HexFormat HEX = HexFormat.of();

    private final Supplier<RandomGenerator> random;

    /**
     * @param random the ids' source. Ids must be unique, not secret (they are echoed to the client and
     *     logged), so a fast per-thread generator serves: {@code ThreadLocalRandom::current}
     */
    TraceContext(Supplier<RandomGenerator> random) {
        this.random = random;
    }

    /**
     * Whether a client's {@code traceparent} may be continued: lowercase hex ids, neither all zeros,
     * version {@code ff} refused, version 00 with exactly four fields and a later version with more.
     */
    static boolean continuable(String incoming) {
        if (incoming == null) {
            return false;
        }
        var match = TRACEPARENT.matcher(incoming.trim());
        return match.matches() && !match.group(1).equals("ff") && !match.group(2).equals(ZERO_TRACE)
                && !match.group(3).equals(ZERO_SPAN) && (match.group(1).equals("00") == (match.group(5) == null));
    }

    /** Without a tracer: the {@code traceparent} to send on and echo back, made by hand. */
    String traceparent(String incoming) {
        if (continuable(incoming)) {
            var match = TRACEPARENT.matcher(incoming.trim());
            match.matches();
            return "00-" + match.group(2) + "-" + hex64() + "-" + match.group(4);
        }
        return "00-" + hex128() + "-" + hex64() + "-00";
    }

    /** The client's request id when it is plain enough to log, else a new one. */
    String requestId(String incoming) {
        return incoming != null && REQUEST_ID.matcher(incoming).matches() ? incoming : hex128();
    }

    private String hex64() {
        return HEX.toHexDigits(random.get().nextLong());
    }

    private String hex128() {
        var generator = random.get();
        return HEX.toHexDigits(generator.nextLong()) + HEX.toHexDigits(generator.nextLong());
    }
}
