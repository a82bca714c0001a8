package io.hookrelay.events;

/**
 * The W3C {@code traceparent} that travels with a message (ADR 0018): from the gateway to ingest in
 * an HTTP header, through the outbox in a column, and to delivery in a Kafka record header of the
 * same name. {@code 00-<trace id: 32 hex>-<parent span id: 16 hex>-<flags: 2 hex>}, flag 01 when the
 * trace is recorded.
 */
public final class Traceparent {

    /** The HTTP and Kafka header name. */
    public static final String HEADER = "traceparent";

    private static final int LENGTH = 55;
    private static final String INVALID_TRACE_ID = "0".repeat(32);

    private Traceparent() {}

    /**
     * The version-00 header for a span, ids as the tracer writes them (lowercase hex); null when the
     * span has no trace id (a no-op tracer's, or OpenTelemetry's invalid all-zero one). A span that
     * is not sampled has one: it is propagated and stored all the same.
     */
    public static String of(String traceId, String spanId, boolean sampled) {
        if (traceId == null || traceId.length() != 32 || traceId.equals(INVALID_TRACE_ID)
                || spanId == null || spanId.length() != 16) {
            return null;
        }
        return new StringBuilder(LENGTH).append("00-").append(traceId).append('-').append(spanId)
                .append(sampled ? "-01" : "-00").toString();
    }

    /** The trace id of a version-00 header written by {@link #of}, or null for anything else. */
    public static String traceId(String traceparent) {
        return traceparent != null && traceparent.length() == LENGTH && traceparent.startsWith("00-")
                ? traceparent.substring(3, 35)
                : null;
    }
}
