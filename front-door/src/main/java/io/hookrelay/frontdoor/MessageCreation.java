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
    private static final String ENDPOINT = "/endpoint/";
    private static final String SEND_EXAMPLE = "/send-example";

    private MessageCreation() {}

    /** {@code POST /api/v1/app/{app}/msg} and nothing else; {@code method} as the request line spells it. */
    public static boolean is(String method, String rawPath) {
        return "POST".equals(method)
                && rawPath.startsWith(PREFIX)
                && rawPath.endsWith(SUFFIX)
                && rawPath.length() > PREFIX.length() + SUFFIX.length()
                && rawPath.indexOf('/', PREFIX.length()) == rawPath.length() - SUFFIX.length();
    }

    /**
     * Any request that creates a message: {@link #is} and Svix's send-example
     * ({@code POST /api/v1/app/{app}/endpoint/{endpoint}/send-example}). Both are answered within
     * the accept deadline, and the gateway waits for them as briefly; the rest of what ingest does
     * for {@link #is} (its counters, its idempotency keys in the accept's own statement) is that
     * operation's only.
     */
    public static boolean createsOne(String method, String rawPath) {
        return is(method, rawPath) || isSendExample(method, rawPath);
    }

    private static boolean isSendExample(String method, String rawPath) {
        if (!"POST".equals(method) || !rawPath.startsWith(PREFIX) || !rawPath.endsWith(SEND_EXAMPLE)) {
            return false;
        }
        int appEnd = rawPath.indexOf('/', PREFIX.length());
        int endpointStart = appEnd + ENDPOINT.length();
        int endpointEnd = rawPath.length() - SEND_EXAMPLE.length();
        return appEnd > PREFIX.length()
                && rawPath.startsWith(ENDPOINT, appEnd)
                && endpointEnd > endpointStart
                && rawPath.indexOf('/', endpointStart) == endpointEnd;
    }
}
