package io.hookrelay.ingest.retention;

import io.hookrelay.ingest.idempotency.IdempotencyProperties;
import io.hookrelay.support.retention.RetentionSweep;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * What ingest-service removes once its time is up, each table by its own bounded sweep over an
 * index (ADR 0022). Rows a concurrent statement holds are skipped, not waited for: the next sweep
 * takes them. Outbox rows need no sweep: the relay deletes each once Kafka has it.
 */
@Configuration(proxyBeanMethods = false)
class IngestRetention {

    /**
     * Payloads past their {@code payloadRetentionPeriod}: cleared, the message kept (as the Svix
     * server does). {@code payload_expunged_at} records when it went, which takes the row out of
     * the sweep's partial index; the API already answers {@code {"expired":true}} from the expiry.
     */
    static final String CLEAR_EXPIRED_PAYLOADS = "update ingest.message set payload = '{}', payload_expunged_at = :before"
            + " where id = any(array(select id from ingest.message"
            + " where payload_expunged_at is null and payload_expires_at <= :before limit :limit for update skip locked))";

    static final String DELETE_IDEMPOTENCY_KEYS = "delete from ingest.idempotency_key"
            + " where key = any(array(select key from ingest.idempotency_key"
            + " where created_at < :before limit :limit for update skip locked))";

    static final String DELETE_EVENT_IDS = "delete from ingest.message_event_id where ctid = any(array("
            + "select ctid from ingest.message_event_id where created_at < :before limit :limit for update skip locked))";

    @Bean
    RetentionSweep payloadSweep(DatabaseClient db, RetentionProperties retention, Clock clock, MeterRegistry meters) {
        return sweep("message_payload", CLEAR_EXPIRED_PAYLOADS, Duration.ZERO, db, retention, clock, meters);
    }

    /** Stored responses of {@code idempotency-key}s: past the window they replay nothing. */
    @Bean
    RetentionSweep idempotencyKeySweep(
            DatabaseClient db, RetentionProperties retention, IdempotencyProperties idempotency, Clock clock, MeterRegistry meters) {
        return sweep("idempotency_key", DELETE_IDEMPOTENCY_KEYS, idempotency.window(), db, retention, clock, meters);
    }

    /** Message {@code eventId}s: past the window a repeated one makes a new message anyway. */
    @Bean
    RetentionSweep eventIdSweep(
            DatabaseClient db, RetentionProperties retention, IdempotencyProperties idempotency, Clock clock, MeterRegistry meters) {
        return sweep("message_event_id", DELETE_EVENT_IDS, idempotency.window(), db, retention, clock, meters);
    }

    /** {@code statement} binds {@code :before} (now minus {@code window}) and {@code :limit}. */
    private static RetentionSweep sweep(
            String table, String statement, Duration window, DatabaseClient db, RetentionProperties retention, Clock clock,
            MeterRegistry meters) {
        return new RetentionSweep(table, retention.every(), retention.batchSize(),
                (now, limit) -> db.sql(statement)
                        .bind("before", now.minus(window))
                        .bind("limit", limit)
                        .fetch()
                        .rowsUpdated(),
                clock, meters);
    }
}
