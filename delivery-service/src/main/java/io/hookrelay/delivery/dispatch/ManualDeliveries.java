package io.hookrelay.delivery.dispatch;

import io.hookrelay.delivery.refs.IngestRefs;
import io.hookrelay.delivery.refs.IngestRefs.EndpointRef;
import io.hookrelay.delivery.retry.PendingDeliveries;
import io.hookrelay.events.MessageAccepted;
import io.hookrelay.support.api.ApiException;
import java.time.Clock;
import java.time.Duration;
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
    private final RunningRecoveries running;
    private final RecoverProperties recoverProperties;
    private final Clock clock;

    ManualDeliveries(
            DatabaseClient db,
            IngestRefs refs,
            MessageStore messages,
            EndpointDirectory endpoints,
            PendingDeliveries pending,
            InFlightDeliveries inFlight,
            DeliveryProperties properties,
            RunningRecoveries running,
            RecoverProperties recoverProperties,
            Clock clock) {
        this.db = db;
        this.refs = refs;
        this.messages = messages;
        this.endpoints = endpoints;
        this.pending = pending;
        this.inFlight = inFlight;
        this.properties = properties;
        this.running = running;
        this.recoverProperties = recoverProperties;
        this.clock = clock;
    }

    /** The endpoint, which must be enabled (409 otherwise). */
    Mono<EndpointRef> endpoint(String appRef, String endpointRef) {
        return refs.endpoint(appRef, endpointRef)
                .flatMap(ref -> ref.disabled()
                        ? Mono.error(new ApiException(HttpStatus.CONFLICT, "endpoint_disabled", "The endpoint is disabled"))
                        : Mono.just(ref));
    }

    /**
     * Starts a resend of the message (id or eventId) to the endpoint; completes once it is durably
     * owed. A payload past its retention is refused as the Svix server refuses it (400
     * {@code missing_payload}); one expunged by hand stays a 409.
     */
    Mono<Void> resend(EndpointRef endpoint, String messageRef) {
        return refs.message(endpoint.appId(), messageRef)
                .flatMap(message -> {
                    if (message.expired()) {
                        return Mono.error(new ApiException(HttpStatus.BAD_REQUEST, "missing_payload",
                                "Unable to resend message. Payload is missing (probably expired)."));
                    }
                    return message.expunged()
                            ? Mono.error(new ApiException(HttpStatus.CONFLICT, "message_expunged",
                                    "The message's content was expunged; it cannot be sent again"))
                            : start(endpoint, message.msgId());
                });
    }

    /**
     * Starts recovering the endpoint in the background: refused (422) when {@code since} lies
     * further back than {@code recover.max-age}, and (409) while another recovery of the endpoint
     * runs in any replica. Completes once the recovery is started.
     */
    Mono<Void> startRecovery(EndpointRef endpoint, Instant since, Instant until) {
        Duration maxAge = recoverProperties.maxAge();
        if (since.isBefore(clock.instant().minus(maxAge))) {
            return Mono.error(ApiException.validation("since", "since may reach back at most " + describe(maxAge)
                    + " (hookrelay.delivery.recover.max-age)"));
        }
        return running.claim(endpoint.appId(), endpoint.endpointId())
                .switchIfEmpty(Mono.error(() -> new ApiException(HttpStatus.CONFLICT, "recovery_running",
                        "A recovery of this endpoint is already running; try again once it has finished")))
                .doOnNext(started -> recover(endpoint, since, until)
                        .onErrorResume(error -> {
                            log.warn("Recovery of {} failed: {}", endpoint.endpointId(), error.toString());
                            return Mono.empty();
                        })
                        .then(running.release(endpoint.endpointId(), started))
                        .subscribe(null, error -> log.warn("Recovery of {} not marked finished; others may start"
                                + " once its claim expires: {}", endpoint.endpointId(), error.toString())))
                .then();
    }

    private static String describe(Duration duration) {
        return duration.toSeconds() % 86_400 == 0 ? duration.toDays() + " days" : duration.toString();
    }

    /** Resends every message whose delivery to the endpoint failed between {@code since} and {@code until}, with none succeeding. */
    private Mono<Long> recover(EndpointRef endpoint, Instant since, Instant until) {
        return db.sql("select distinct a.msg_id from delivery.attempt a join ingest.message m on m.id = a.msg_id"
                        + " where a.app_id = :app and a.endpoint_id = :ep and a.created_at >= :since"
                        + " and a.created_at < :until and a.status = 2 and m.payload_expunged_at is null and m.payload_expires_at > now()"
                        // s.app_id: the index (app_id, msg_id, id) then finds a message's attempts; without it
                        // each failed attempt read the attempt table (8.2-8.5 s against 25 ms for 2,988 messages
                        // at 32,000 attempts, EXPLAIN ANALYZE in docs/reliability.md)
                        + " and not exists (select 1 from delivery.attempt s where s.app_id = a.app_id and s.msg_id = a.msg_id"
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
                    return pending.claimForResend(endpoint.appId(), messageId, endpoint.endpointId(),
                                    clock.instant().plus(properties.lease()))
                            .flatMap(leaseEnd -> inFlight.offer(DeliveryTask.manual(message, found.getT2(), leaseEnd))
                                    ? Mono.<Void>empty()
                                    : pending.releaseNow(messageId, endpoint.endpointId(), leaseEnd));
                });
    }

}
