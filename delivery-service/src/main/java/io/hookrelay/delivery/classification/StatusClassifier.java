package io.hookrelay.delivery.classification;

import io.hookrelay.delivery.classification.DeliveryOutcome.Delivered;
import io.hookrelay.delivery.classification.DeliveryOutcome.EndpointGone;
import io.hookrelay.delivery.classification.DeliveryOutcome.Failed;
import io.hookrelay.delivery.classification.DeliveryOutcome.Retryable;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Turns a receiver's answer (or the lack of one) into a {@link DeliveryOutcome}. */
@Component
public class StatusClassifier {

    private final ClassificationProperties table;
    private final Clock clock;

    public StatusClassifier(ClassificationProperties table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    /** A response arrived with {@code status}; {@code retryAfter} is the raw header or null. */
    public DeliveryOutcome classify(int status, String retryAfter) {
        if (status >= 200 && status < 300) {
            return new Delivered();
        }
        if (table.goneStatuses().contains(status)) {
            return new EndpointGone();
        }
        if (table.retryableStatuses().contains(status)) {
            Optional<Duration> delay = status == 429 || status == 503 ? parseRetryAfter(retryAfter) : Optional.empty();
            return new Retryable("HTTP " + status, delay);
        }
        if (status >= 300 && status < 400) {
            return new Failed("HTTP " + status + ": redirects are not followed");
        }
        return new Failed("HTTP " + status);
    }

    /** No response: connection refused or reset, timeout, TLS failure. Always worth a retry. */
    public DeliveryOutcome classifyNetworkError(String reason) {
        return new Retryable(reason, Optional.empty());
    }

    /** {@code Retry-After} as delay-seconds or an HTTP date, capped; absent or malformed: empty. */
    Optional<Duration> parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String trimmed = value.trim();
        Duration delay;
        if (trimmed.chars().allMatch(Character::isDigit)) {
            try {
                delay = Duration.ofSeconds(Long.parseLong(trimmed));
            } catch (NumberFormatException tooLarge) {
                delay = table.maxRetryAfter();
            }
        } else {
            try {
                var at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                delay = Duration.between(clock.instant(), at);
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        if (delay.isNegative()) {
            return Optional.of(Duration.ZERO);
        }
        return Optional.of(delay.compareTo(table.maxRetryAfter()) > 0 ? table.maxRetryAfter() : delay);
    }
}
