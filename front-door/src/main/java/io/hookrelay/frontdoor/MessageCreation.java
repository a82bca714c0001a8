package io.hookrelay.frontdoor;

/**
 * The one reading of "this request creates a message" ({@code POST /api/v1/app/{app}/msg}) shared by
 * the gateway (which waits less for its answer) and ingest-service (its accept deadline and
 * counters), so the two bounds always apply to the same requests. On a path {@link CanonicalPath}
 * has accepted; index checks only, no allocation.
 */
public final class MessageCreation {

    private static final String PREFIX = "/api/v1/app/";
    private static final String SUFFIX = "/msg";

    private MessageCreation() {}

    /** {@code POST /api/v1/app/{app}/msg} and nothing else; {@code method} as the request line spells it. */
    public static boolean is(String method, String rawPath) {
        return "POST".equals(method)
                && rawPath.startsWith(PREFIX)
                && rawPath.endsWith(SUFFIX)
                && rawPath.length() > PREFIX.length() + SUFFIX.length()
                && rawPath.indexOf('/', PREFIX.length()) == rawPath.length() - SUFFIX.length();
    }
}
