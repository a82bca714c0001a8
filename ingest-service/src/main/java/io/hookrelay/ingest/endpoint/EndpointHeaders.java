package io.hookrelay.ingest.endpoint;

import io.hookrelay.support.api.ApiException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Rules for an endpoint's custom headers. The refused names are the Svix server's (hop-by-hop,
 * caching and content headers, cloud-provider and {@code svix-} prefixes) plus what HookRelay
 * itself sets on a delivery: {@code host}, {@code connection}, the Standard Webhooks
 * {@code webhook-*} headers and our internal {@code x-hookrelay-*}.
 */
final class EndpointHeaders {

    private static final Set<String> FORBIDDEN = Set.of(
            "user-agent", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
            "transfer-encoding", "upgrade", "age", "cache-control", "clear-site-data", "expires", "pragma",
            "warning", "content-length", "content-type", "content-encoding", "content-language",
            "content-location", "host", "connection");

    private static final List<String> FORBIDDEN_PREFIXES = List.of(
            "x-amz-", "x-amzn-", "x-google", "x-goog-", "x-gfe", "x-azure-", "x-fd-", "x-svix-", "svix-",
            "webhook-", "x-hookrelay-");

    /** Returned by name only, never by value (as Svix does for credentials). */
    private static final Set<String> SENSITIVE = Set.of("authorization", "x-auth-token", "x-api-key", "cookie");

    private static final Pattern TOKEN = Pattern.compile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$");
    private static final Pattern VALUE = Pattern.compile("^[\\t\\x20-\\x7e\\x80-\\xff]*$");
    private static final int MAX_VALUE_LENGTH = 4096;

    private EndpointHeaders() {}

    static void validateName(String name) {
        if (name == null || !TOKEN.matcher(name).matches()) {
            throw ApiException.validation("headers", "Invalid header name: '" + name + "'");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (FORBIDDEN.contains(lower) || FORBIDDEN_PREFIXES.stream().anyMatch(lower::startsWith)) {
            throw ApiException.validation("headers", "Header '" + name + "' is reserved and cannot be set");
        }
    }

    static void validateValue(String name, String value) {
        if (value.length() > MAX_VALUE_LENGTH) {
            throw ApiException.validation("headers", "Header '" + name + "' is longer than 4096 characters");
        }
        if (!VALUE.matcher(value).matches()) {
            throw ApiException.validation("headers", "Header '" + name + "' has an invalid value");
        }
    }

    static Map<String, String> validated(Map<String, String> headers) {
        if (headers == null) {
            throw ApiException.validation("headers", "headers is required");
        }
        headers.forEach((name, value) -> {
            validateName(name);
            if (value == null) {
                throw ApiException.validation("headers", "Header '" + name + "' must have a value");
            }
            validateValue(name, value);
        });
        return headers;
    }

    /** Svix's patch: a value sets the header, {@code null} removes it; names compare case-insensitively. */
    static Map<String, String> patched(Map<String, String> current, Map<String, String> patch, List<String> delete) {
        if (patch == null && delete == null) {
            throw ApiException.validation("headers", "headers is required");
        }
        var result = new LinkedHashMap<>(current);
        if (delete != null) {
            delete.forEach(name -> result.keySet().removeIf(existing -> existing.equalsIgnoreCase(name)));
        }
        (patch == null ? Map.<String, String>of() : patch).forEach((name, value) -> {
            validateName(name);
            result.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
            if (value != null) {
                validateValue(name, value);
                result.put(name, value);
            }
        });
        return result;
    }

    static EndpointHeadersOut out(Map<String, String> headers) {
        var shown = new LinkedHashMap<String, String>();
        var sensitive = new TreeSet<String>();
        headers.forEach((name, value) -> {
            if (SENSITIVE.contains(name.toLowerCase(Locale.ROOT))) {
                sensitive.add(name);
            } else {
                shown.put(name, value);
            }
        });
        return new EndpointHeadersOut(shown, List.copyOf(sensitive));
    }
}
