package io.hookrelay.delivery.dispatch;

import java.util.Locale;
import java.util.Set;

/**
 * Headers an endpoint's custom headers may not set: the signature headers and those that
 * describe the request itself. ingest-service refuses them when headers are saved; delivery
 * skips them too, so an older row can never override a signature.
 */
final class ReservedHeaders {

    private static final Set<String> NAMES = Set.of(
            "content-type", "content-length", "host", "user-agent", "connection", "transfer-encoding",
            "keep-alive", "te", "trailer", "upgrade", "expect");

    private ReservedHeaders() {}

    static boolean isReserved(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return NAMES.contains(lower) || lower.startsWith("webhook-") || lower.startsWith("svix-");
    }
}
