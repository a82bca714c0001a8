package io.hookrelay.local;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One generated hostile request. Either a well-formed HTTP/1.1 request with a hostile target,
 * headers or body ({@code raw == null}: sent with the JDK's HTTP client), or bytes written to the
 * socket as they are ({@code raw}), which may break HTTP itself ({@code protocolViolation}: the
 * server may then close the connection instead of answering).
 *
 * @param family what kind of hostility, for the summary
 * @param method the HTTP method (for raw requests: as written in the request line)
 * @param target the request target as sent (for raw requests: a printable rendering)
 * @param headers header name/value pairs (not used for raw requests)
 * @param body the body, or null for none
 * @param raw the whole request as bytes, or null
 * @param protocolViolation the raw bytes are not valid HTTP/1.1 or exceed the server's limits
 * @param incomplete the bytes may be the start of a request the server would rightly wait to see
 *     the rest of: the sender closes its side after them
 * @param forbiddenInBody text that must not appear in a 2xx answer (another application's id when
 *     the token is scoped to one application)
 * @param mustBeRefused the request carries no valid credential for what it asks: any 2xx is a bypass
 */
record HostileRequest(
        String family,
        String method,
        String target,
        List<Map.Entry<String, String>> headers,
        byte[] body,
        byte[] raw,
        boolean protocolViolation,
        boolean incomplete,
        String forbiddenInBody,
        boolean mustBeRefused) {

    static HostileRequest http(String family, String method, String target, List<Map.Entry<String, String>> headers,
            byte[] body) {
        return new HostileRequest(family, method, target, headers, body, null, false, false, null, false);
    }

    static HostileRequest raw(String family, String requestText, boolean protocolViolation) {
        return raw(family, requestText.getBytes(StandardCharsets.ISO_8859_1), protocolViolation);
    }

    static HostileRequest raw(String family, byte[] request, boolean protocolViolation) {
        String line = new String(request, 0, Math.min(request.length, 120), StandardCharsets.ISO_8859_1).split("\r\n|\n", 2)[0];
        String[] parts = line.split(" ", 3);
        return new HostileRequest(family, parts[0], parts.length > 1 ? parts[1] : "", List.of(), null, request,
                protocolViolation, false, null, false);
    }

    HostileRequest forbidding(String text) {
        return new HostileRequest(family, method, target, headers, body, raw, protocolViolation, incomplete, text, mustBeRefused);
    }

    HostileRequest incompleteRequest() {
        return new HostileRequest(family, method, target, headers, body, raw, true, true, forbiddenInBody, mustBeRefused);
    }

    /** The same request as bytes, for when java.net.URI refuses its target: not a valid request-target then. */
    HostileRequest asRaw(byte[] bytes) {
        return new HostileRequest(family, method, target, headers, body, bytes, true, false, forbiddenInBody, mustBeRefused);
    }

    /** The same request, which no answer but a refusal may meet. */
    HostileRequest refused() {
        return new HostileRequest(family, method, target, headers, body, raw, protocolViolation, incomplete, forbiddenInBody, true);
    }

    boolean isRaw() {
        return raw != null;
    }

    /** A short printable description for failure messages. */
    String describe() {
        if (isRaw()) {
            String text = new String(raw, 0, Math.min(raw.length, 400), StandardCharsets.ISO_8859_1);
            return "[" + family + ", raw] " + printable(text) + (raw.length > 400 ? "…(" + raw.length + " bytes)" : "");
        }
        String shown = target.length() > 160 ? target.substring(0, 160) + "…(" + target.length() + " chars)" : target;
        String bodyText = body == null ? "" : " body=" + printable(new String(body, 0, Math.min(body.length, 160),
                StandardCharsets.ISO_8859_1)) + (body.length > 160 ? "…(" + body.length + " bytes)" : "");
        return "[" + family + (isRaw() ? ", raw" : "") + "] " + printable(method) + " " + printable(shown) + bodyText;
    }

    static String printable(String text) {
        var out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
