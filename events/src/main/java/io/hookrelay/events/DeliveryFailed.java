package io.hookrelay.events;

import java.time.Instant;

/**
 * Published on {@link Topics#DEAD_LETTERS} when a message could not be delivered to an endpoint
 * and no attempt is left: the retry schedule ran out, or the failure is permanent (a 4xx, a
 * refused destination, an endpoint gone). Keyed by message id.
 *
 * @param attempts how many attempts were made
 * @param outcome the last attempt's classification (retryable, failed, endpoint_gone, refused)
 * @param reason the last attempt's status code or error, for people
 */
public record DeliveryFailed(
        String appId, String messageId, String endpointId, int attempts, String outcome, String reason, Instant failedAt) {}
