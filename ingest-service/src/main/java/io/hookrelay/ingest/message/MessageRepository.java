package io.hookrelay.ingest.message;

import io.hookrelay.events.MessageAccepted;
import io.hookrelay.ingest.api.Page;
import io.hookrelay.ingest.groupcommit.JoinedText;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Messages in PostgreSQL (schema {@code ingest}). */
@Repository
class MessageRepository {

    private static final String COLUMNS = "id, app_id, event_type, event_id, channels, payload, created_at";
    /**
     * What the API reads: a payload past its retention reads {@code {"expired":true}}, as the Svix
     * server answers once its cleaner has run; here from the moment it expires (ADR 0022).
     */
    private static final String READ_COLUMNS = "id, app_id, event_type, event_id, channels, created_at,"
            + " case when payload_expires_at <= now() then '{\"expired\":true}' else payload end as payload";
    private static final String INSERT_ALL = "insert into ingest.message (" + COLUMNS + ", payload_expires_at)"
            + " select id, app_id, event_type, event_id, string_to_array(channels, ','), payload, created_at, payload_expires_at"
            + " from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], " + JoinedText.split(6) + ","
            + " $7::timestamptz[], $8::timestamptz[])"
            + " as m (id, app_id, event_type, event_id, channels, payload, created_at, payload_expires_at)";
    private static final String CLAIM_EVENT_IDS = "insert into ingest.message_event_id (app_id, event_id, msg_id, created_at)"
            + " select * from unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])"
            + " on conflict (app_id, event_id) do update set msg_id = excluded.msg_id, created_at = excluded.created_at"
            + " where ingest.message_event_id.created_at < $5 returning msg_id";

    private final DatabaseClient db;

    MessageRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<Void> insert(Recorded recorded) {
        MessageAccepted message = recorded.message();
        return db.sql("insert into ingest.message (" + COLUMNS + ", payload_expires_at)"
                        + " values (:id, :appId, :eventType, :eventId, :channels, :payload, :createdAt, :expiresAt)")
                .bind("id", message.messageId())
                .bind("appId", message.appId())
                .bind("eventType", message.eventType())
                .bind("eventId", Parameter.fromOrEmpty(message.eventId(), String.class))
                .bind("channels", Parameter.fromOrEmpty(
                        message.channels().isEmpty() ? null : message.channels().toArray(String[]::new), String[].class))
                .bind("payload", message.payload())
                .bind("createdAt", message.timestamp())
                .bind("expiresAt", recorded.payloadExpiresAt())
                .then();
    }

    /**
     * One statement for many messages, its text the same whatever their number: one array per
     * column. (A {@code values} list with a marker per cell made a new statement for every batch
     * size, and binding thousands of markers one by one cost more CPU than the insert itself.)
     * Channels travel joined by commas, which the accepted channel names cannot contain; the
     * payloads as one {@link JoinedText}.
     */
    Mono<Void> insertAll(List<Recorded> batch) {
        int size = batch.size();
        var ids = new String[size];
        var appIds = new String[size];
        var eventTypes = new String[size];
        var eventIds = new String[size];
        var channels = new String[size];
        var createdAt = new Instant[size];
        var expiresAt = new Instant[size];
        for (int i = 0; i < size; i++) {
            MessageAccepted message = batch.get(i).message();
            expiresAt[i] = batch.get(i).payloadExpiresAt();
            ids[i] = message.messageId();
            appIds[i] = message.appId();
            eventTypes[i] = message.eventType();
            eventIds[i] = message.eventId();
            channels[i] = joinedChannels(message.channels());
            createdAt[i] = message.timestamp();
        }
        return db.sql(INSERT_ALL)
                .bindValues(List.of(ids, appIds, eventTypes, eventIds, channels,
                        JoinedText.of(batch, recorded -> recorded.message().payload()), createdAt, expiresAt))
                .then();
    }

    static String joinedChannels(List<String> channels) {
        if (channels.isEmpty()) {
            return null;
        }
        for (String channel : channels) {
            if (channel.indexOf(',') >= 0) {
                // not reachable through the API (MessageIn's pattern); the batch then runs one by one
                throw new IllegalArgumentException("A channel name with a comma cannot be stored in a batch: " + channel);
            }
        }
        return String.join(",", channels);
    }

    /**
     * {@link #claimEventId} for many messages in one statement: the ids of the messages that own
     * their eventId. The same eventId twice in one call fails the statement (PostgreSQL updates a
     * row at most once per statement).
     */
    Flux<String> claimEventIds(List<MessageAccepted> batch, Instant since) {
        int size = batch.size();
        var appIds = new String[size];
        var eventIds = new String[size];
        var msgIds = new String[size];
        var createdAt = new Instant[size];
        for (int i = 0; i < size; i++) {
            MessageAccepted message = batch.get(i);
            appIds[i] = message.appId();
            eventIds[i] = message.eventId();
            msgIds[i] = message.messageId();
            createdAt[i] = message.timestamp();
        }
        return db.sql(CLAIM_EVENT_IDS)
                .bindValues(List.of(appIds, eventIds, msgIds, createdAt, since))
                .map(row -> row.get("msg_id", String.class))
                .all();
    }

    /**
     * Reserves {@code eventId} for {@code message} unless a message took it after {@code since}.
     * Completes empty when it is taken: a concurrent duplicate waits on the primary key until the
     * first transaction commits, so exactly one of them stores a message.
     */
    Mono<String> claimEventId(MessageAccepted message, Instant since) {
        return db.sql("insert into ingest.message_event_id (app_id, event_id, msg_id, created_at)"
                        + " values (:appId, :eventId, :msgId, :createdAt) on conflict (app_id, event_id) do update"
                        + " set msg_id = excluded.msg_id, created_at = excluded.created_at"
                        + " where ingest.message_event_id.created_at < :since returning msg_id")
                .bind("appId", message.appId())
                .bind("eventId", message.eventId())
                .bind("msgId", message.messageId())
                .bind("createdAt", message.timestamp())
                .bind("since", since)
                .map(row -> row.get("msg_id", String.class))
                .one();
    }

    Mono<String> eventIdOwner(String appId, String eventId) {
        return db.sql("select msg_id from ingest.message_event_id where app_id = :appId and event_id = :eventId")
                .bind("appId", appId)
                .bind("eventId", eventId)
                .map(row -> row.get("msg_id", String.class))
                .one();
    }

    /** By id or by eventId (the newest message with it), as Svix accepts either. */
    Mono<MessageAccepted> find(String appId, String idOrEventId) {
        return db.sql("select " + READ_COLUMNS + " from ingest.message where app_id = :appId"
                        + " and (id = :ref or event_id = :ref) order by (id = :ref) desc, id desc limit 1")
                .bind("appId", appId)
                .bind("ref", idOrEventId)
                .map(MessageRepository::read)
                .one();
    }

    Flux<MessageAccepted> list(String appId, MessageFilter filter, Page page) {
        var conditions = new ArrayList<String>();
        var values = new LinkedHashMap<String, Object>();
        values.put("appId", appId);
        if (filter.eventTypes() != null && !filter.eventTypes().isEmpty()) {
            conditions.add("event_type = any(:eventTypes)");
            values.put("eventTypes", filter.eventTypes().toArray(String[]::new));
        }
        if (filter.channel() != null) {
            conditions.add(":channel = any(channels)");
            values.put("channel", filter.channel());
        }
        if (page.cursor() == null && filter.before() != null) {
            conditions.add("created_at < :before");
            values.put("before", filter.before());
        }
        if (page.cursor() == null && filter.after() != null) {
            conditions.add("created_at > :after");
            values.put("after", filter.after());
        }
        String cursor = page.condition("id");
        if (cursor != null) {
            conditions.add(cursor);
            values.put("cursor", page.cursor());
        }
        String where = conditions.stream().map(c -> " and " + c).reduce("", String::concat);
        return db.sql("select " + READ_COLUMNS + " from ingest.message where app_id = :appId" + where + page.orderBy("id"))
                .bindValues(values)
                .map(MessageRepository::read)
                .all();
    }

    /** Removes the payload but keeps the message (Svix's expunge); '{}' keeps the column's contract. */
    Mono<Void> expungePayload(String id, Instant now) {
        return db.sql("update ingest.message set payload = '{}', payload_expunged_at = :now where id = :id")
                .bind("id", id)
                .bind("now", now)
                .then();
    }

    private static MessageAccepted read(Readable row) {
        String[] channels = row.get("channels", String[].class);
        return new MessageAccepted(
                row.get("app_id", String.class),
                row.get("id", String.class),
                row.get("event_type", String.class),
                row.get("event_id", String.class),
                channels == null ? List.of() : Arrays.asList(channels),
                row.get("payload", String.class),
                row.get("created_at", Instant.class));
    }

    /** What a message listing is narrowed to; nulls mean "any". */
    record MessageFilter(List<String> eventTypes, String channel, Instant before, Instant after) {}
}
