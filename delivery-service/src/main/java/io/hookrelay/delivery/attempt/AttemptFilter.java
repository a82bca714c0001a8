package io.hookrelay.delivery.attempt;

import io.hookrelay.support.api.ApiException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The filters of Svix's attempt listings, checked as strictly as the reference: an unknown
 * {@code status} or {@code status_code_class} is a 422.
 *
 * @param status MessageStatus 0 success, 1 pending, 2 fail, 3 sending; null for any
 * @param statusCodeClass 0 (no response), 100, 200, 300, 400 or 500; null for any
 * @param eventTypes the message's event type must be one of these; empty for any
 * @param channel the message must be on this channel; null for any
 * @param before attempts made before this time; null for no bound
 * @param after attempts made after this time; null for no bound
 */
record AttemptFilter(
        Integer status, Integer statusCodeClass, List<String> eventTypes, String channel, Instant before, Instant after) {

    private static final Set<Integer> CLASSES = Set.of(0, 100, 200, 300, 400, 500);

    AttemptFilter {
        if (status != null && (status < 0 || status > 3)) {
            throw ApiException.validation("status", "status must be 0 (success), 1 (pending), 2 (fail) or 3 (sending)");
        }
        if (statusCodeClass != null && !CLASSES.contains(statusCodeClass)) {
            throw ApiException.validation("status_code_class", "status_code_class must be 0, 100, 200, 300, 400 or 500");
        }
        eventTypes = eventTypes == null ? List.of() : eventTypes.stream()
                .flatMap(value -> java.util.Arrays.stream(value.split(",")))
                .map(String::strip)
                .filter(value -> !value.isEmpty())
                .toList();
    }
}
