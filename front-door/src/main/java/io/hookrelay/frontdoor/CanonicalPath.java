package io.hookrelay.frontdoor;

import java.util.Optional;

/**
 * The one reading of a request path shared by the gateway and the services: a path is accepted only
 * when every layer (the gateway's authentication and access policy, its router, a service's router
 * and controllers) must read it exactly as its raw bytes. Everything else is refused before anyone
 * authenticates or routes it.
 *
 * <p>Why a strict alphabet instead of normalising: ids ({@code app_…}), uids, event type names and
 * the API's own path words all match {@code [a-zA-Z0-9._-]}, so nothing in a legitimate path needs
 * escaping. A percent-escape ({@code %61pi}, double-encoded {@code %2561}, an encoded slash
 * {@code %2F}), a matrix parameter ({@code ;x}), a dot segment, an empty segment, a backslash, a
 * control or non-ASCII character can only be a spelling that one layer decodes and another does
 * not — the gap through which a request skips authentication or lands in another tenant. Refusing
 * them leaves a single interpretation for the whole chain.
 *
 * <p>A single trailing slash is accepted ({@code /api/v1/health/} is the reference API's own
 * spelling): it is not decoded or dropped by any layer, so it never changes who is authorised; a
 * route that does not expect it answers 404. Case is left alone: routes and controllers match case
 * sensitively, so {@code /API/v1/app} is simply an unknown path (401 without a token, 404 with one).
 * The query string is not the path's business and is never looked at.
 */
public final class CanonicalPath {

    /** The Svix-style error code of a refusal. */
    public static final String ERROR_CODE = "invalid_path";

    private CanonicalPath() {}

    /**
     * Why {@code rawPath} (the path exactly as received, without the query string) is not canonical,
     * or empty when it is.
     */
    public static Optional<String> problem(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return refused("the path must start with '/'");
        }
        int segmentStart = 1;
        for (int i = 1; i <= rawPath.length(); i++) {
            if (i == rawPath.length() || rawPath.charAt(i) == '/') {
                Optional<String> segmentProblem = segment(rawPath.substring(segmentStart, i), i == rawPath.length());
                if (segmentProblem.isPresent()) {
                    return segmentProblem;
                }
                segmentStart = i + 1;
                continue;
            }
            char c = rawPath.charAt(i);
            if (!allowed(c)) {
                return refused(describe(c));
            }
        }
        return Optional.empty();
    }

    /** True when {@link #problem} finds nothing. */
    public static boolean isCanonical(String rawPath) {
        return problem(rawPath).isEmpty();
    }

    private static Optional<String> segment(String segment, boolean last) {
        if (segment.isEmpty() && !last) {
            return refused("empty path segments ('//') are not accepted");
        }
        if (segment.equals(".") || segment.equals("..")) {
            return refused("'.' and '..' path segments are not accepted");
        }
        return Optional.empty();
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    }

    private static String describe(char c) {
        return switch (c) {
            case '%' -> "percent-escapes are not accepted in the path (ids, uids and names never need them)";
            case ';' -> "';' (matrix parameters) is not accepted in the path";
            case '\\' -> "backslashes are not accepted in the path";
            default -> c < 0x20 || c == 0x7f ? "control characters are not accepted in the path"
                    : c > 0x7f ? "non-ASCII characters are not accepted in the path"
                    : "'" + c + "' is not accepted in the path (only a-z A-Z 0-9 . _ - between slashes)";
        };
    }

    private static Optional<String> refused(String why) {
        return Optional.of("Not a canonical API path: " + why);
    }
}
