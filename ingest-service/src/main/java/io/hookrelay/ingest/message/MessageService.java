package io.hookrelay.ingest.message;

import io.hookrelay.events.MessageAccepted;
import io.hookrelay.events.MessageRecords;
import io.hookrelay.events.PrefixedId;
import io.hookrelay.frontdoor.DatabaseErrors;
import io.hookrelay.ingest.application.Application;
import io.hookrelay.ingest.application.ApplicationIn;
import io.hookrelay.ingest.application.ApplicationRepository;
import io.hookrelay.ingest.idempotency.IdempotencyKeyTaken;
import io.hookrelay.ingest.idempotency.KeyedResponse;
import io.hookrelay.ingest.outbox.OutboxRecord;
import io.hookrelay.support.api.ApiException;
import io.hookrelay.support.kafka.KafkaRecordLimits;
import io.r2dbc.spi.R2dbcException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accepts a message: stores it and its outbox record in one transaction, so once this completes
 * (and the API answers 202) the message will reach Kafka even if the process dies right after.
 * A message repeating an {@code eventId} of the last 24 hours is not stored again: the original is
 * answered and nothing new is delivered. An application the body brings along is created in the
 * same transaction when the path names none.
 */
@Service
class MessageService {

    /**
     * Every answer that carries a payload must be writable: Jackson writes at most 500 levels
     * ({@code StreamWriteConstraints}) and a message list wraps the payload in three more, so a
     * payload accepted at 498 levels made every later listing of its application a 500. 256 is far
     * beyond any real event and far below that limit.
     */
    static final int MAX_PAYLOAD_DEPTH = 256;

    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private final ApplicationRepository applications;
    private final MessageRepository messages;
    private final MessageStore store;
    private final TransactionalOperator transaction;
    private final PrefixedId ids;
    private final JsonMapper json;
    private final Clock clock;
    private final KafkaRecordLimits limits;

    MessageService(
            ApplicationRepository applications,
            MessageRepository messages,
            MessageStore store,
            TransactionalOperator transaction,
            PrefixedId ids,
            JsonMapper json,
            Clock clock,
            KafkaRecordLimits limits) {
        this.applications = applications;
        this.messages = messages;
        this.store = store;
        this.transaction = transaction;
        this.ids = ids;
        this.json = json;
        this.clock = clock;
        this.limits = limits;
    }

    /**
     * {@code traceparent}: the request's trace, to go with the message to delivery (null: none).
     * {@code keyScope}: the request's idempotency key, to be claimed with the answer in the
     * message's transaction (null: none, ADR 0029); when an earlier request holds it, nothing is
     * stored and this fails with {@link IdempotencyKeyTaken}.
     */
    Mono<MessageOut> accept(String appRef, MessageIn in, boolean withContent, String traceparent, String keyScope) {
        String payload;
        JsonNode payloadJson;
        byte[] written; // the payload as Jackson wrote it: encoded into the record without parsing it again
        if (in.rawPayload() != null) {
            payload = in.rawPayload();
            payloadJson = parseObject(payload, "transformationsParams.rawPayload");
            written = null;
        } else {
            payloadJson = in.payload();
            written = json.writeValueAsBytes(payloadJson);
            payload = new String(written, java.nio.charset.StandardCharsets.UTF_8);
        }
        if (!payloadJson.isObject()) {
            return Mono.error(ApiException.validation("payload", "payload must be a JSON object"));
        }
        if (depth(payloadJson) > MAX_PAYLOAD_DEPTH) {
            return Mono.error(ApiException.validation("payload",
                    "payload must not be nested more than " + MAX_PAYLOAD_DEPTH + " levels deep"));
        }
        List<String> channels = in.channels() == null ? List.of() : in.channels().stream().distinct().toList();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return applications.findIdShared(appRef)
                // The usual case: concurrent accepts share a transaction (ADR 0012).
                .map(appId -> new MessageAccepted(appId, ids.next(PrefixedId.MESSAGE), in.eventType(), in.eventId(), channels, payload, now))
                .flatMap(message -> record(message, written, traceparent, in.payloadRetention(),
                                keyed(keyScope, MessageOut.of(message, payloadJson, json, withContent)))
                        .flatMap(store::store)
                        .onErrorMap(MessageService::refusedUnstored, MessageService::notAccepted)
                        .onErrorMap(MessageService::applicationGone, gone -> {
                            // known by its id, deleted since (by another replica): as if looked up
                            applications.forget(message.appId());
                            return ApiException.notFound("Application");
                        })
                        .flatMap(acceptance -> answer(acceptance, payloadJson, withContent)))
                // The message may create its application: one transaction of its own, as before.
                .switchIfEmpty(Mono.defer(() -> transaction.transactional(application(appRef, in.application(), now)
                                .map(app -> new MessageAccepted(
                                        app.id(), ids.next(PrefixedId.MESSAGE), in.eventType(), in.eventId(), channels, payload, now))
                                .flatMap(message -> record(message, written, traceparent, in.payloadRetention(),
                                        keyed(keyScope, MessageOut.of(message, payloadJson, json, withContent))))
                                .flatMap(store::storeInTransaction))
                        .onErrorMap(MessageService::refusedUnstored, MessageService::notAccepted)
                        .doOnNext(store::published)
                        .flatMap(acceptance -> answer(acceptance, payloadJson, withContent))));
    }

    private Mono<MessageOut> answer(Acceptance acceptance, JsonNode payloadJson, boolean withContent) {
        return switch (acceptance) {
            case Acceptance.Stored(MessageAccepted message, var record) -> Mono.just(MessageOut.of(message, payloadJson, json, withContent));
            case Acceptance.Duplicate(String appId, String originalId) -> original(appId, originalId, withContent);
            case Acceptance.KeyTaken() -> Mono.error(new IdempotencyKeyTaken());
        };
    }

    /**
     * PostgreSQL refused the statement or transaction that stores the message (read-only, disk full,
     * restarting), or no connection could be had: it rolled back, the idempotency-key's claim with
     * it, so the client may be told the message was not accepted (ADR 0036). Only here: elsewhere an
     * error cannot tell whether a message exists (a connection lost under the commit, a lookup of
     * the first request of a key).
     */
    private static boolean refusedUnstored(Throwable error) {
        return DatabaseErrors.outage(error) == DatabaseErrors.Outage.REFUSED;
    }

    private static Throwable notAccepted(Throwable refused) {
        return ApiException.unavailable("service_unavailable",
                "The message was not accepted: HookRelay's database cannot store it right now; retry shortly",
                Duration.ofSeconds(5));
    }

    /** A foreign key to {@code ingest.application} refused the message's rows: the application is gone. */
    private static boolean applicationGone(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof R2dbcException r2dbc && FOREIGN_KEY_VIOLATION.equals(r2dbc.getSqlState())) {
                return true;
            }
        }
        return false;
    }

    /** The 202 this request will answer, to record for its idempotency key; null without a key. */
    private KeyedResponse keyed(String keyScope, MessageOut answer) {
        return keyScope == null
                ? null
                : new KeyedResponse(keyScope, HttpStatus.ACCEPTED.value(), MediaType.APPLICATION_JSON_VALUE, json.writeValueAsBytes(answer));
    }

    /**
     * The application named in the path; when there is none and the body brings one, it is
     * created in the message's transaction (so a refused message leaves no application behind).
     * As in the Svix server, the body's {@code uid} must then be the path's: that is what makes a
     * retried create find the application it made the first time.
     */
    private Mono<Application> application(String appRef, ApplicationIn body, Instant now) {
        return applications.find(appRef).switchIfEmpty(Mono.defer(() -> {
            if (body == null) {
                return Mono.error(ApiException.notFound("Application"));
            }
            if (body.uid() == null) {
                return Mono.error(ApiException.validation("application.uid", "Application UID not set in body"));
            }
            if (!body.uid().equals(appRef)) {
                return Mono.error(ApiException.validation("application.uid", "Application UID in the path and body must match"));
            }
            return applications.insertUnlessUidTaken(new Application(ids.next(PrefixedId.APPLICATION), body.uid(),
                    body.name(), body.metadata(), body.throttleRate(), now, now));
        }));
    }

    /**
     * Accepts a message for one endpoint of the application only (Svix's send-example): stored and
     * published like any other, but delivery-service offers it to no other endpoint. It has no
     * eventId and no channels, as in Svix.
     */
    Mono<MessageOut> acceptForEndpoint(String appId, String endpointId, String eventType, JsonNode payload, String traceparent) {
        var message = new MessageAccepted(appId, ids.next(PrefixedId.MESSAGE), eventType, null, List.of(),
                json.writeValueAsString(payload), clock.instant().truncatedTo(ChronoUnit.MILLIS), endpointId);
        return transaction.transactional(record(message, null, traceparent, Duration.ofDays(MessageIn.DEFAULT_PAYLOAD_RETENTION_DAYS), null)
                        .flatMap(store::storeInTransaction))
                .doOnNext(store::published)
                .thenReturn(MessageOut.of(message, payload, json, true));
    }

    /**
     * Writes the message's Kafka record and refuses it if Kafka would: the size is the record's
     * as the producer measures it, not the request's (ADR 0010). Refused inside the transaction,
     * so an application created for this message is not left behind.
     */
    /** {@code written}: the payload's bytes if Jackson just wrote them from an object node, else null. */
    private Mono<Recorded> record(
            MessageAccepted message, byte[] written, String traceparent, Duration payloadRetention, KeyedResponse response) {
        byte[] value;
        try {
            value = written != null ? MessageRecords.encodeWrittenObject(message, written) : MessageRecords.encode(message);
        } catch (IllegalArgumentException e) {
            return Mono.error(ApiException.validation("payload", e.getMessage()));
        }
        // the record as Kafka measures it: the trace context header counts against the limit too
        int size = KafkaRecordLimits.sizeOf(message.messageId(), value,
                OutboxRecord.headers(traceparent).toArray(Header[]::new));
        if (size > limits.maxRecordSize()) {
            return Mono.error(new ApiException(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large",
                    "The message would make a Kafka record of " + size + " bytes; the limit is "
                            + limits.maxRecordSize() + " bytes (hookrelay.kafka.max-record-bytes). Send a smaller payload."));
        }
        return Mono.just(new Recorded(message, value, traceparent, message.timestamp().plus(payloadRetention), response));
    }

    private Mono<MessageOut> original(String appId, String originalId, boolean withContent) {
        return messages.find(appId, originalId).map(message -> MessageOut.of(message, null, json, withContent));
    }

    /** Levels of objects and arrays, the payload itself being 1; without recursion, whatever the input. */
    private static int depth(JsonNode payload) {
        int deepest = 0;
        var pending = new java.util.ArrayDeque<java.util.Map.Entry<JsonNode, Integer>>();
        pending.push(java.util.Map.entry(payload, 1));
        while (!pending.isEmpty()) {
            var next = pending.pop();
            deepest = Math.max(deepest, next.getValue());
            for (JsonNode child : next.getKey()) {
                if (child.isContainer()) {
                    pending.push(java.util.Map.entry(child, next.getValue() + 1));
                }
            }
        }
        return deepest;
    }

    private JsonNode parseObject(String text, String field) {
        try {
            return json.readTree(text);
        } catch (JacksonException e) {
            throw ApiException.validation(field, field + " is not valid JSON");
        }
    }
}
