package io.hookrelay.delivery.attempt;

import java.time.Instant;

/**
 * One try at delivering a message to an endpoint, as recorded.
 *
 * @param status Svix {@code MessageStatus}: 0 success, 1 pending, 2 fail, 3 sending
 * @param responseStatusCode the receiver's status, 0 when it gave none
 * @param response the first bytes of the response body, or why no response came
 * @param triggerType 0 scheduled, 1 manual
 * @param outcome the classification, see {@code DeliveryOutcome#name()}
 * @param traceId the attempt's trace (32 hex digits; ADR 0018), null for attempts recorded before
 *     traces were kept
 */
public record Attempt(
        String id,
        String appId,
        String msgId,
        String endpointId,
        String url,
        int status,
        int responseStatusCode,
        String response,
        long responseDurationMs,
        int triggerType,
        String outcome,
        Instant timestamp,
        String traceId) {

    public static final int SUCCESS = 0;
    public static final int FAIL = 2;
    public static final int SCHEDULED = 0;
    public static final int MANUAL = 1;
}
