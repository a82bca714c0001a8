package io.hookrelay.support.kafka;

import io.hookrelay.events.UnreadableRecordException;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * What a Kafka listener does when handling a record fails (PostgreSQL or Kafka unavailable): try
 * the same record again, backing off from 0.5 s to 30 s, for as long as it takes. Spring Kafka's
 * default gives up after ten quick tries and moves on, which would drop an accepted message.
 * Records that can never be processed ({@code UnreadableRecordException} and Spring Kafka's own
 * list of non-retryable failures, such as deserialization errors) are handed to a recoverer at
 * once instead: with {@link #errorHandler(ConsumerRecordRecoverer)}, typically a dead-letter topic.
 */
public final class RetryForever {

    private RetryForever() {}

    public static BackOff backOff() {
        var backOff = new ExponentialBackOff(500, 2.0);
        backOff.setMaxInterval(30_000);
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        return backOff;
    }

    public static DefaultErrorHandler errorHandler() {
        return new DefaultErrorHandler(backOff());
    }

    /**
     * Retries for ever, except records that can never be processed: those go to {@code recoverer}
     * at once (if the recoverer fails, for example the dead-letter topic is unreachable, the record
     * is tried again, so nothing is lost).
     */
    public static DefaultErrorHandler errorHandler(ConsumerRecordRecoverer recoverer) {
        var handler = new DefaultErrorHandler(recoverer, backOff());
        handler.addNotRetryableExceptions(UnreadableRecordException.class);
        return handler;
    }
}
