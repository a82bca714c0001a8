package io.hookrelay.delivery.dispatch;

import io.hookrelay.delivery.retry.DeliveryClaims;
import io.hookrelay.delivery.retry.DeliveryClaims.NewClaims;
import io.hookrelay.delivery.retry.PendingDeliveries;
import io.hookrelay.events.MessageAccepted;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.TraceContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Fans one accepted message out to every enabled endpoint of its application that subscribes to
 * it — or, for a message meant for one endpoint only (send-example), to that endpoint if it is
 * enabled and subscribes, as the Svix server does. First it records, in one statement, that the
 * message is owed to each of them (rows leased to this process, in a statement shared with the
 * other records of the poll, {@link DeliveryClaims}); that is what the Kafka record is acknowledged
 * on. Then it hands the first attempts to {@link InFlightDeliveries}, which starts them or lines
 * them up for room, without waiting for them, so a slow receiver never holds up the next messages.
 */
@Component
class Dispatcher {

    private final EndpointDirectory endpoints;
    private final DeliveryClaims claims;
    private final PendingDeliveries pending;
    private final InFlightDeliveries inFlight;
    private final DeliveryProperties properties;
    private final MeterRegistry meters;
    private final Clock clock;

    Dispatcher(
            EndpointDirectory endpoints,
            DeliveryClaims claims,
            PendingDeliveries pending,
            InFlightDeliveries inFlight,
            DeliveryProperties properties,
            MeterRegistry meters,
            Clock clock) {
        this.endpoints = endpoints;
        this.claims = claims;
        this.pending = pending;
        this.inFlight = inFlight;
        this.properties = properties;
        this.meters = meters;
        this.clock = clock;
    }

    /**
     * Completes once the deliveries are durably owed; the attempts themselves run on, their spans
     * children of {@code trace} (the consumed record's span).
     */
    Mono<Void> dispatch(MessageAccepted message, TraceContext trace) {
        return candidates(message)
                .filter(endpoint -> endpoint.subscribesTo(message.eventType(), message.channels()))
                .collectMap(EndpointTarget::id, Function.identity())
                .flatMap(targets -> claim(message, targets).flatMap(claimed -> start(message, targets, claimed, trace)));
    }

    /** The endpoints newly owed this message; the claiming connection is released before any further work. */
    private Mono<NewClaims> claim(MessageAccepted message, Map<String, EndpointTarget> targets) {
        List<String> ids = targets.keySet().stream().sorted().toList();
        return claims.claimNew(message.appId(), message.messageId(), ids, clock.instant().plus(properties.lease()));
    }

    /** Starts or lines up an attempt per endpoint newly owed the message; releases the rows of those that found no place. */
    private Mono<Void> start(MessageAccepted message, Map<String, EndpointTarget> targets, NewClaims claimed, TraceContext trace) {
        return Flux.fromIterable(claimed.endpointIds())
                .map(targets::get)
                .flatMap(endpoint -> endpoint.usable()
                        ? started(DeliveryTask.first(message, endpoint, trace, claimed.leaseEnd()))
                        : hold(endpoint).then(Mono.<String>empty()))
                .collectList()
                .flatMap(notStarted -> release(message, notStarted, claimed.leaseEnd()));
    }

    private Flux<EndpointTarget> candidates(MessageAccepted message) {
        Flux<EndpointTarget> enabled = endpoints.enabledEndpoints(message.appId());
        return message.onlyEndpointId() == null
                ? enabled
                : enabled.filter(endpoint -> endpoint.id().equals(message.onlyEndpointId()));
    }

    /**
     * An endpoint whose secret or headers cannot be used is owed the message (its row is
     * written) but nothing is sent: the row stays leased, comes due after the lease, and the retry
     * poller tries again — until the values are fixed (EndpointRows logs how), then it goes out.
     */
    private Mono<Void> hold(EndpointTarget endpoint) {
        meters.counter("hookrelay.delivery.held", "reason", "unreadable_credentials").increment();
        return Mono.empty();
    }

    /**
     * Hands the attempt over, to start now or in line as soon as there is room (ADR 0039). When
     * every line is full it asks again for up to {@code handover-wait}: that is what slows the
     * consumer to the receivers' pace rather than turning a burst into work for the retry poller.
     * The endpoints of one message wait side by side. Completes with the endpoint's id if the
     * attempt found no place: its row is then left to the poller.
     */
    private Mono<String> started(DeliveryTask task) {
        return inFlight.offer(task, properties.handoverWait())
                .flatMap(taken -> taken ? Mono.<String>empty() : Mono.just(task.endpoint().id()));
    }

    /** The rows of the endpoints that got no room are made due now for the poller, in one statement. */
    private Mono<Void> release(MessageAccepted message, List<String> endpointIds, Instant leaseEnd) {
        return endpointIds.isEmpty() ? Mono.empty() : pending.releaseNow(message.messageId(), endpointIds, leaseEnd);
    }
}
