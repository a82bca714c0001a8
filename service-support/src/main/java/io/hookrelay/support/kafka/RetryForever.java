package io.hookrelay.support.kafka;

import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * What a Kafka listener does when handling a record fails (PostgreSQL or Kafka unavailable): try
 * the same record again, backing off from 0.5 s to 30 s, for as long as it takes. Spring Kafka's
 * default gives up after ten quick tries and moves on, which would drop an accepted message.
 * Records that cannot be read at all are skipped by the listeners themselves, so nothing here
 * retries a poison record for ever.
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
}
