package io.hookrelay.support.kafka;

import java.time.Duration;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;
import reactor.util.retry.Retry;
import reactor.util.retry.RetryBackoffSpec;

/**
 * What a Kafka listener does when handling a record fails (PostgreSQL or Kafka unavailable): try
 * the same record again, backing off from 0.5 s to 30 s, for as long as it takes. Spring Kafka's
 * default gives up after ten quick tries and moves on, which would drop an accepted message.
 * Records that cannot be read at all are set aside by the listeners themselves (delivery-service:
 * a dead-letter topic), so nothing here retries a poison record for ever. A listener returning a
 * {@code Mono} retries inside it with {@link #retrySpec()} instead of failing: Spring Kafka's
 * handling of failed asynchronous results has lost records with more than one consumer thread.
 */
public final class RetryForever {

    private RetryForever() {}

    public static BackOff backOff() {
        var backOff = new ExponentialBackOff(500, 2.0);
        backOff.setMaxInterval(30_000);
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        return backOff;
    }

    /** The same schedule for a {@code Mono}'s own retries ({@code mono.retryWhen(RetryForever.retrySpec())}). */
    public static RetryBackoffSpec retrySpec() {
        return Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(500)).maxBackoff(Duration.ofSeconds(30));
    }

    public static DefaultErrorHandler errorHandler() {
        return new DefaultErrorHandler(backOff());
    }
}
