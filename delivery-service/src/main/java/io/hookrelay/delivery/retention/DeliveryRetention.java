package io.hookrelay.delivery.retention;

import io.hookrelay.support.retention.RetentionSweep;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * What delivery-service removes once its time is up (ADR 0022): attempts older than the window.
 * {@code pending_delivery} needs no sweep: a row is deleted when its delivery succeeds, is dropped,
 * or — dead — once its dead letter is on Kafka; a row that stays is a delivery still owed.
 */
@Configuration(proxyBeanMethods = false)
class DeliveryRetention {

    static final String DELETE_ATTEMPTS = "delete from delivery.attempt where id = any(array("
            + "select id from delivery.attempt where created_at < :before limit :limit for update skip locked))";

    @Bean
    RetentionSweep attemptSweep(DatabaseClient db, RetentionProperties retention, Clock clock, MeterRegistry meters) {
        return new RetentionSweep("attempt", retention.every(), retention.batchSize(),
                (now, limit) -> db.sql(DELETE_ATTEMPTS)
                        .bind("before", now.minus(retention.attempts()))
                        .bind("limit", limit)
                        .fetch()
                        .rowsUpdated(),
                clock, meters);
    }
}
