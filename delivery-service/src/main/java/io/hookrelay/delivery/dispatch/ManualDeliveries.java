package io.hookrelay.delivery.dispatch;

import io.hookrelay.delivery.refs.IngestRefs;
import io.hookrelay.delivery.refs.IngestRefs.EndpointRef;
import io.hookrelay.delivery.retry.PendingDeliveries;
import io.hookrelay.events.MessageAccepted;
import io.hookrelay.support.api.ApiException;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Deliveries a person asks for: resend one message to one endpoint, or recover every message
 * whose delivery to an endpoint failed in a time range. Each is a new chain (attempts counted
 * from one, following the retry schedule), with its first attempt marked manual.
 */
@Component
class ManualDeliveries {

    private static final Logger log = LoggerFactory.getLogger(ManualDeliveries.class);

    private final DatabaseClient db;
    private final IngestRefs refs;
    private final MessageStore messages;
    private final EndpointDirectory endpoints;
    private final PendingDeliveries pending;
    private final InFlightDeliveries inFlight;
    private final DeliveryProperties properties;
    private final Clock clock;

    ManualDeliveries(
            DatabaseClient db,
            IngestRefs refs,
            MessageStore messages,
            EndpointDirectory endpoints,
            PendingDeliveries pending,
            InFlightDeliveries inFlight,
            DeliveryProperties properties,
            Clock clock) {
        this.db = db;
        this.refs = refs;
        this.messages = messages;
        this.endpoints = endpoints;
        this.pending = pending;
        this.inFlight = inFlight;
        this.properties = properties;
        this.clock = clock;
    }

    /** The endpoint, which must be enabled (409 otherwise). */
    Mono<EndpointRef> endpoint(String appRef, String endpointRef) {
        return refs.endpoint(appRef, endpointRef)
                .flatMap(ref -> ref.disabled()
                        ? Mono.error(new ApiException(HttpStatus.CONFLICT, "endpoint_disabled", "The endpoint is disabled"))
                        : Mono.just(ref));
    }

    /** Starts a resend of the message (id or eventId) to the endpoint; completes once it is durably owed. */
    Mono<Void> resend(EndpointRef endpoint, String messageRef) {
        return refs.message(endpoint.appId(), messageRef)
                .flatMap(message -> message.expunged()
                        ? Mono.error(new ApiException(HttpStatus.CONFLICT, "message_expunged",
                                "The message's content was expunged; it cannot be sent again"))
                        : start(endpoint, message.msgId()));
    }

    /** Resends every message whose delivery to the endpoint failed between {@code since} and {@code until}, with none succeeding. */
    Mono<Long> recover(EndpointRef endpoint, Instant since, Instant until) {
        return db.sql("select distinct a.msg_id from delivery.attempt a join ingest.message m on m.id = a.msg_id"
                        + " where a.app_id = :app and a.endpoint_id = :ep and a.created_at >= :since"
                        + " and a.created_at < :until and a.status = 2 and m.payload_expunged_at is null"
                        + " and not exists (select 1 from delivery.attempt s where s.msg_id = a.msg_id"
                        + " and s.endpoint_id = a.endpoint_id and s.status = 0)")
                .bind("app", endpoint.appId())
                .bind("ep", endpoint.endpointId())
                .bind("since", since)
                .bind("until", until)
                .map(row -> row.get("msg_id", String.class))
                .all()
                .collectList()
                .flatMapMany(Flux::fromIterable)
                .concatMap(messageId -> start(endpoint, messageId).thenReturn(messageId))
                .count()
                .doOnNext(count -> log.info("Recovering {} messages to {} failed since {}", count, endpoint.endpointId(), since));
    }

    private Mono<Void> start(EndpointRef endpoint, String messageId) {
        return Mono.zip(messages.find(endpoint.appId(), messageId), endpoints.enabledEndpoint(endpoint.appId(), endpoint.endpointId()))
                .flatMap(found -> {
                    MessageAccepted message = found.getT1();
                    DeliveryTask task = DeliveryTask.manual(message, found.getT2());
                    return pending.claimForResend(endpoint.appId(), messageId, endpoint.endpointId(),
                                    clock.instant().plus(properties.lease()))
                            .then(Mono.defer(() -> inFlight.start(task)
                                    ? Mono.<Void>empty()
                                    : pending.releaseNow(messageId, endpoint.endpointId())));
                });
    }

}
