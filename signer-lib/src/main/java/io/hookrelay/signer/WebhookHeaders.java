package io.hookrelay.signer;

import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The three Standard Webhooks header values, as sent or as received.
 *
 * <p>On the sending side {@link WebhookSigner#headers} fills all three. On the receiving side
 * any of them may be {@code null} (absent): the {@link WebhookVerifier} then rejects the message
 * with {@link RejectionReason#MISSING_HEADER} rather than failing.
 *
 * @param id the {@code webhook-id} value, the message id
 * @param timestamp the {@code webhook-timestamp} value, Unix seconds as text
 * @param signature the {@code webhook-signature} value, space-separated {@code version,base64}
 */
public record WebhookHeaders(String id, String timestamp, String signature) {

    /** {@value}. */
    public static final String ID = "webhook-id";
    /** {@value}. */
    public static final String TIMESTAMP = "webhook-timestamp";
    /** {@value}. */
    public static final String SIGNATURE = "webhook-signature";
    /** {@value}, the Svix name for {@link #ID}, accepted when receiving. */
    public static final String SVIX_ID = "svix-id";
    /** {@value}, the Svix name for {@link #TIMESTAMP}, accepted when receiving. */
    public static final String SVIX_TIMESTAMP = "svix-timestamp";
    /** {@value}, the Svix name for {@link #SIGNATURE}, accepted when receiving. */
    public static final String SVIX_SIGNATURE = "svix-signature";

    /**
     * Reads the headers from a lookup by name such as {@code request::getHeader} (Servlet) or
     * {@code httpHeaders::getFirst} (Spring). The {@code webhook-} names win; the {@code svix-}
     * names are used where a {@code webhook-} header is absent.
     *
     * @param header returns a header's value by name, or {@code null} when absent
     * @return the values found
     */
    public static WebhookHeaders from(Function<String, String> header) {
        return new WebhookHeaders(
                either(header.apply(ID), header, SVIX_ID),
                either(header.apply(TIMESTAMP), header, SVIX_TIMESTAMP),
                either(header.apply(SIGNATURE), header, SVIX_SIGNATURE));
    }

    /**
     * Reads the headers from a multi-valued map, matching names without regard to case (as HTTP
     * does). Several {@code webhook-signature} values are joined with a space; for the id and
     * the timestamp the first value counts.
     *
     * @param headers header names to values, as {@code java.net.http.HttpHeaders#map()} gives
     * @return the values found
     */
    public static WebhookHeaders from(Map<String, ? extends Collection<String>> headers) {
        return from(name -> lookup(headers, name, name.equals(SIGNATURE) || name.equals(SVIX_SIGNATURE)));
    }

    /**
     * The headers to put on an outgoing request, in the order id, timestamp, signature.
     *
     * @return header name to value, with the {@code webhook-} names
     */
    public Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(ID, id);
        map.put(TIMESTAMP, timestamp);
        map.put(SIGNATURE, signature);
        return map;
    }

    private static String either(String value, Function<String, String> header, String fallbackName) {
        return value != null ? value : header.apply(fallbackName);
    }

    private static String lookup(Map<String, ? extends Collection<String>> headers, String name, boolean joinAll) {
        Collection<String> values = headers.get(name);
        if (values == null) {
            for (Map.Entry<String, ? extends Collection<String>> entry : headers.entrySet()) {
                if (name.equalsIgnoreCase(entry.getKey())) {
                    values = entry.getValue();
                    break;
                }
            }
        }
        if (values == null || values.isEmpty()) {
            return null;
        }
        Iterator<String> each = values.iterator();
        if (!joinAll || values.size() == 1) {
            return each.next();
        }
        StringBuilder joined = new StringBuilder();
        while (each.hasNext()) {
            String value = each.next();
            if (value != null) {
                joined.append(joined.isEmpty() ? "" : " ").append(value);
            }
        }
        return joined.toString();
    }
}
