package io.hookrelay.delivery.attempt;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads attempts from PostgreSQL (schema {@code delivery}); {@link OutcomeWriter} writes them. */
@Repository
public class AttemptRepository {

    /**
     * What a listing without content shows instead of the response body: Svix's server writes
     * {@code "{}"} there. Selected as a constant so PostgreSQL does not even read the column.
     */
    static final String NO_CONTENT = "{}";

    private final DatabaseClient db;

    public AttemptRepository(DatabaseClient db) {
        this.db = db;
    }

    /**
     * A message's attempts, newest first, after {@code iterator} (an attempt id), filtered, to one
     * endpoint when {@code endpointId} is not null; one more than {@code limit}. Without content,
     * each response reads {@link #NO_CONTENT}.
     */
    Flux<Attempt> listByMessage(String appId, String msgId, String endpointId, AttemptFilter filter,
            boolean withContent, String iterator, int limit) {
        return list(appId, msgId, endpointId, filter, withContent, iterator, limit);
    }

    /**
     * An endpoint's attempts, newest first, after {@code iterator}, filtered; one more than
     * {@code limit}. Without content, each response reads {@link #NO_CONTENT}.
     */
    Flux<Attempt> listByEndpoint(
            String appId, String endpointId, AttemptFilter filter, boolean withContent, String iterator, int limit) {
        return list(appId, null, endpointId, filter, withContent, iterator, limit);
    }

    private Flux<Attempt> list(String appId, String msgId, String endpointId, AttemptFilter filter,
            boolean withContent, String iterator, int limit) {
        var sql = new StringBuilder("select a.id, a.app_id, a.msg_id, a.endpoint_id, a.url, a.status,"
                + " a.response_status_code, " + (withContent ? "a.response" : "'" + NO_CONTENT + "' as response")
                + ", a.response_duration_ms, a.trigger_type, a.outcome, a.created_at, a.trace_id"
                + " from delivery.attempt a join ingest.message m on m.id = a.msg_id"
                + " where a.app_id = :appId and a.id collate \"C\" < :iterator");
        if (msgId != null) {
            sql.append(" and a.msg_id = :msgId");
        }
        if (endpointId != null) {
            sql.append(" and a.endpoint_id = :endpointId");
        }
        if (filter.status() != null) {
            sql.append(" and a.status = :status");
        }
        if (filter.statusCodeClass() != null) {
            sql.append(" and a.response_status_code >= :codeFrom and a.response_status_code < :codeTo");
        }
        if (!filter.eventTypes().isEmpty()) {
            sql.append(" and m.event_type = any(:eventTypes)");
        }
        if (filter.channel() != null) {
            sql.append(" and :channel = any(m.channels)");
        }
        if (filter.before() != null) {
            sql.append(" and a.created_at < :before");
        }
        if (filter.after() != null) {
            sql.append(" and a.created_at > :after");
        }
        sql.append(" order by a.id collate \"C\" desc limit :limit");
        var spec = db.sql(sql.toString())
                .bind("appId", appId)
                .bind("iterator", iterator == null ? "\uffff" : iterator)
                .bind("limit", limit + 1);
        if (msgId != null) {
            spec = spec.bind("msgId", msgId);
        }
        if (endpointId != null) {
            spec = spec.bind("endpointId", endpointId);
        }
        if (filter.status() != null) {
            spec = spec.bind("status", filter.status().shortValue());
        }
        if (filter.statusCodeClass() != null) {
            int from = filter.statusCodeClass();
            spec = spec.bind("codeFrom", (short) from).bind("codeTo", (short) (from == 0 ? 1 : from + 100));
        }
        if (!filter.eventTypes().isEmpty()) {
            spec = spec.bind("eventTypes", filter.eventTypes().toArray(String[]::new));
        }
        if (filter.channel() != null) {
            spec = spec.bind("channel", filter.channel());
        }
        if (filter.before() != null) {
            spec = spec.bind("before", filter.before());
        }
        if (filter.after() != null) {
            spec = spec.bind("after", filter.after());
        }
        return spec.map(AttemptRepository::read).all();
    }

    Mono<Attempt> find(String appId, String msgId, String attemptId) {
        return db.sql("select id, app_id, msg_id, endpoint_id, url, status, response_status_code, response,"
                        + " response_duration_ms, trigger_type, outcome, created_at, trace_id from delivery.attempt"
                        + " where app_id = :appId and msg_id = :msgId and id = :id")
                .bind("appId", appId)
                .bind("msgId", msgId)
                .bind("id", attemptId)
                .map(AttemptRepository::read)
                .one();
    }

    /** Removes the stored response body of an attempt; returns whether there was such an attempt. */
    Mono<Boolean> expungeContent(String appId, String msgId, String attemptId) {
        return db.sql("update delivery.attempt set response = '' where app_id = :appId and msg_id = :msgId and id = :id")
                .bind("appId", appId)
                .bind("msgId", msgId)
                .bind("id", attemptId)
                .fetch()
                .rowsUpdated()
                .map(updated -> updated > 0);
    }

    private static Attempt read(Readable row) {
        return new Attempt(
                row.get("id", String.class),
                row.get("app_id", String.class),
                row.get("msg_id", String.class),
                row.get("endpoint_id", String.class),
                row.get("url", String.class),
                row.get("status", Short.class),
                row.get("response_status_code", Short.class),
                row.get("response", String.class),
                row.get("response_duration_ms", Long.class),
                row.get("trigger_type", Short.class),
                row.get("outcome", String.class),
                row.get("created_at", Instant.class),
                row.get("trace_id", String.class));
    }
}
