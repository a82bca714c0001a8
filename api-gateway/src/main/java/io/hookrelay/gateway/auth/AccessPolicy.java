package io.hookrelay.gateway.auth;

import org.springframework.http.HttpMethod;

/**
 * What a verified token may do. Organisation tokens reach everything. An application token reaches
 * its own application (read) and everything under it, reads the organisation's event types, and
 * can log itself out; anything else looks like it does not exist (404), so a holder cannot probe
 * for other applications' ids. A read-only application token may only read.
 *
 * <p>The application in a path is compared exactly with the token's application id or uid, as the
 * raw path segment: an encoded, dotted or otherwise disguised segment never equals an id, so it is
 * refused rather than interpreted.
 */
public final class AccessPolicy {

    public enum Decision {
        ALLOW,
        NOT_FOUND,
        READ_ONLY
    }

    private AccessPolicy() {}

    public static Decision decide(Identity identity, HttpMethod method, String rawPath) {
        if (identity.isOrganisation()) {
            return Decision.ALLOW;
        }
        String[] segments = rawPath.split("/", -1);
        // "", "api", "v1", ...
        if (segments.length < 4 || !segments[0].isEmpty() || !"api".equals(segments[1]) || !"v1".equals(segments[2])) {
            return Decision.NOT_FOUND;
        }
        boolean read = method == HttpMethod.GET || method == HttpMethod.HEAD;
        return switch (segments[3]) {
            case "app" -> application(identity, segments, read);
            case "event-type" -> read && segments.length <= 5 && noEmpty(segments, 4) ? Decision.ALLOW : Decision.NOT_FOUND;
            case "auth" -> segments.length == 5 && "logout".equals(segments[4]) && method == HttpMethod.POST
                    ? Decision.ALLOW
                    : Decision.NOT_FOUND;
            default -> Decision.NOT_FOUND;
        };
    }

    private static Decision application(Identity identity, String[] segments, boolean read) {
        if (segments.length < 5 || !identity.owns(segments[4]) || !noEmpty(segments, 5)) {
            return Decision.NOT_FOUND;
        }
        if (segments.length == 5 || (segments.length == 6 && segments[5].isEmpty())) {
            // the application itself: an application token reads it, never changes or deletes it
            return read ? Decision.ALLOW : Decision.READ_ONLY;
        }
        if (!read && identity.readOnly()) {
            return Decision.READ_ONLY;
        }
        return Decision.ALLOW;
    }

    /** No empty segment from {@code from} on, except a single trailing slash. */
    private static boolean noEmpty(String[] segments, int from) {
        for (int i = from; i < segments.length; i++) {
            if (segments[i].isEmpty() && i != segments.length - 1) {
                return false;
            }
            if (segments[i].equals(".") || segments[i].equals("..") || segments[i].indexOf('%') >= 0) {
                return false; // ids, uids and our path words are never encoded: anything encoded is a disguise
            }
        }
        return true;
    }
}
