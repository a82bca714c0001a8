package io.hookrelay.gateway.ratelimit;

import java.util.regex.Pattern;

/**
 * Text fit for a log line: the user info of every URI in it ({@code redis://:password@host},
 * {@code rediss://user:password@host}) replaced by {@code ***}. For Redis URIs from configuration
 * and for error messages that might quote one.
 */
final class Redacted {

    /** Greedy up to the authority's last {@code @}: a password may hold an unescaped one. */
    private static final Pattern USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/\\s]*@");

    private Redacted() {}

    static String uri(Object text) {
        return text == null ? null : USER_INFO.matcher(text.toString()).replaceAll("$1***@");
    }
}
