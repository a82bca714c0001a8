package io.hookrelay.delivery.dispatch;

import io.hookrelay.delivery.attempt.InterruptedAttempts;
import io.hookrelay.delivery.retry.DeadClaims;
import io.hookrelay.delivery.retry.DeadLetters;
import io.hookrelay.delivery.retry.PendingDeliveries;
import io.hookrelay.delivery.retry.PendingDelivery;
import io.hookrelay.delivery.retry.RetryPolling;
import io.hookrelay.events.DeliveryFailed;
import io.hookrelay.events.MessageAccepted;
import io.hookrelay.support.lifecycle.PeriodicWork;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Works off the durable retry schedule: claims due deliveries and makes their next attempt with
 * the endpoint's current settings, and publishes dead letters that a crash left unpublished.
 * Because the schedule lives in PostgreSQL, retries survive restarts of any process.
 */
@Component
class RetryPoller extends PeriodicWork {

    private static final Logger log = LoggerFactory.getLogger(RetryPoller.class);

    private final PendingDeliveries pending;
    private final DeadClaims deadClaims;
    private final MessageStore messages;
    private final EndpointDirectory endpoints;
    private final InFlightDeliveries inFlight;
    private final DeadLetters deadLetters;
    private final InterruptedAttempts interrupted;
    private final RetryPolling polling;
    private final DeliveryProperties properties;
    private final Clock clock;

    RetryPoller(
            PendingDeliveries pending,
            DeadClaims deadClaims,
            MessageStore messages,
            EndpointDirectory endpoints,
            InFlightDeliveries inFlight,
            DeadLetters deadLetters,
            InterruptedAttempts interrupted,
            RetryPolling polling,
            DeliveryProperties properties,
            Clock clock) {
        this.pending = pending;
        this.deadClaims = deadClaims;
        this.messages = messages;
        this.endpoints = endpoints;
        this.inFlight = inFlight;
        this.deadLetters = deadLetters;
        this.interrupted = interrupted;
        this.polling = polling;
        this.properties = properties;
        this.clock = clock;
    }


    @Override
    protected Flux<?> triggers() {
        return Flux.interval(polling.interval());
    }

    /**
     * While polls come back full, polls again at once (up to one interval's worth of polls): a
     * backlog that waits in PostgreSQL (more owed than there was room for) is worked off as fast
     * as room comes free, not one batch per interval. First, what a process that is gone had
     * claimed is made due (ADR 0032): it is claimed in the same poll.
     */
    @Override
    protected Mono<Void> runOnce() {
        long until = System.nanoTime() + polling.interval().toNanos();
        return takeOverDeadClaims()
                .then(claimAndStart())
                .expand(full -> full && System.nanoTime() < until ? claimAndStart() : Mono.empty())
                .then();
    }

    private Mono<Void> takeOverDeadClaims() {
        return deadClaims.takeOver()
                .doOnNext(count -> {
                    if (count > 0) {
                        log.info("Taking over {} deliveries claimed by a process that is gone", count);
                    }
                })
                .onErrorResume(error -> {
                    log.warn("Could not look for claims of processes that are gone, will try again: {}", error.toString());
                    return Mono.empty();
                })
                .then();
    }

    /**
     * Claims what is due (no more than there is room for in flight, none of an application or an
     * endpoint that has no room left, at most an application's share of the batch) and hands it over without
     * waiting for the attempts; errors are logged and the rows come due again after the lease.
     * True when the batch was full: there may be more.
     */
    private Mono<Boolean> claimAndStart() {
        int room = Math.min(polling.batchSize(), inFlight.available());
        if (room == 0) {
            return Mono.just(false);
        }
        return pending.claimDue(clock.instant(), room, properties.lease(), inFlight.perApplication(), inFlight.noRoom())
                .flatMap(due -> messagesOf(due).flatMap(found -> Flux.fromIterable(due)
                        .flatMap(row -> handle(row, found), 64)
                        .then(Mono.just(due.size() == room))))
                .onErrorResume(error -> {
                    log.warn("Retry poll failed, will try again", error);
                    return Mono.just(false);
                });
    }

    /** The messages the scheduled rows need, read in one statement. */
    private Mono<Map<String, MessageAccepted>> messagesOf(List<PendingDelivery> due) {
        Set<String> ids = due.stream()
                .filter(row -> row.state() == PendingDelivery.State.SCHEDULED)
                .map(PendingDelivery::msgId)
                .collect(Collectors.toSet());
        return messages.findAll(ids);
    }

    private Mono<Void> handle(PendingDelivery due, Map<String, MessageAccepted> found) {
        return switch (due.state()) {
            case SCHEDULED -> retry(due, found.get(due.msgId()));
            case DEAD -> deadLetters.publish(new DeliveryFailed(due.appId(), due.msgId(), due.endpointId(),
                            due.attempts(), due.lastOutcome(), due.lastReason(), clock.instant()))
                    .then(pending.delete(due.msgId(), due.endpointId()));
        };
    }

    /**
     * The next attempt, after recording the previous one if a stop cut it short (written before
     * the new attempt starts, so the list keeps its order; if that write fails, the row comes due
     * again after the lease and the new claim is reported as cut short in its place).
     */
    private Mono<Void> retry(PendingDelivery due, MessageAccepted message) {
        // the message of another application under this id is no message of this row
        Mono<MessageAccepted> ofRow = message == null || !message.appId().equals(due.appId())
                ? Mono.empty()
                : Mono.just(message);
        return Mono.zip(ofRow, endpoints.enabledEndpoint(due.appId(), due.endpointId()))
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(found -> found
                        .map(task -> interrupted.record(due, task.getT2().url())
                                .then(Mono.defer(() -> start(
                                        DeliveryTask.scheduled(task.getT1(), task.getT2(), due.attempts() + 1, due.dueAt())))))
                        .orElseGet(() -> drop(due)))
                .onErrorResume(error -> {
                    log.warn("Retry of {} to {} failed, it comes due again after the lease: {}",
                            due.msgId(), due.endpointId(), error.toString());
                    return Mono.empty();
                });
    }

    private Mono<Void> start(DeliveryTask task) {
        return inFlight.offer(task)
                ? Mono.empty()
                : pending.releaseNow(task.message().messageId(), task.endpoint().id(), task.leaseEnd());
    }

    private Mono<Void> drop(PendingDelivery due) {
        log.info("Dropping retry of {} to {}: the message or the endpoint is gone or disabled", due.msgId(), due.endpointId());
        return pending.delete(due.msgId(), due.endpointId());
    }
}
