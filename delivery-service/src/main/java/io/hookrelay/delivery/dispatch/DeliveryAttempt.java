package io.hookrelay.delivery.dispatch;

import io.hookrelay.delivery.attempt.Attempt;
import io.hookrelay.delivery.attempt.OutcomeWriter;
import io.hookrelay.delivery.classification.DeliveryOutcome;
import io.hookrelay.delivery.classification.StatusClassifier;
import io.hookrelay.delivery.health.EndpointHealth;
import io.hookrelay.delivery.isolation.Admission;
import io.hookrelay.delivery.isolation.EndpointGuards;
import io.hookrelay.delivery.isolation.EndpointPermit;
import io.hookrelay.delivery.retry.DeadLetters;
import io.hookrelay.delivery.retry.NextStep;
import io.hookrelay.delivery.retry.PendingDeliveries;
import io.hookrelay.delivery.retry.PendingDelivery;
import io.hookrelay.delivery.retry.RetryPlanner;
import io.hookrelay.delivery.ssrf.DestinationGuard;
import io.hookrelay.delivery.ssrf.DestinationLookupTimeoutException;
import io.hookrelay.delivery.ssrf.DestinationRefusedException;
import io.hookrelay.events.DeliveryFailed;
import io.hookrelay.events.PrefixedId;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Makes one attempt: ask the endpoint's protections for leave (or defer), guard the destination
 * (an asynchronous lookup with a timeout, under the endpoint's permit), sign, send, classify,
 * then record the attempt and what comes next (done, a retry at a time, or a dead letter)
 * together, in a batch shared with other attempts ({@link OutcomeWriter}). Completing means the
 * outcome is durable; only then may the work that led here be acknowledged.
 */
@Component
class DeliveryAttempt implements InFlightDeliveries.Attempts {

    private static final Logger log = LoggerFactory.getLogger(DeliveryAttempt.class);

    private final DestinationGuard guard;
    private final EndpointGuards guards;
    private final Signers signers;
    private final WebhookSender sender;
    private final QuickRetry quickRetry;
    private final StatusClassifier classifier;
    private final RetryPlanner planner;
    private final OutcomeWriter outcomes;
    private final PendingDeliveries pending;
    private final DeadLetters deadLetters;
    private final EndpointHealth health;
    private final PrefixedId ids;
    private final MeterRegistry meters;
    private final Clock clock;
    private final DeliveryMetrics metrics;
    private final DeliveryTraces traces;

    DeliveryAttempt(
            DestinationGuard guard,
            EndpointGuards guards,
            Signers signers,
            WebhookSender sender,
            QuickRetry quickRetry,
            StatusClassifier classifier,
            RetryPlanner planner,
            OutcomeWriter outcomes,
            PendingDeliveries pending,
            DeadLetters deadLetters,
            EndpointHealth health,
            PrefixedId ids,
            MeterRegistry meters,
            Clock clock,
            DeliveryMetrics metrics,
            DeliveryTraces traces) {
        this.guard = guard;
        this.guards = guards;
        this.signers = signers;
        this.sender = sender;
        this.quickRetry = quickRetry;
        this.classifier = classifier;
        this.planner = planner;
        this.outcomes = outcomes;
        this.pending = pending;
        this.deadLetters = deadLetters;
        this.health = health;
        this.ids = ids;
        this.meters = meters;
        this.clock = clock;
        this.metrics = metrics;
        this.traces = traces;
    }

    /**
     * A busy endpoint's bulkhead frees a slot within milliseconds while a backlog drains, so the
     * attempt waits its turn for one (bounded; {@link EndpointGuards#admitInTurn}) rather than
     * going round through PostgreSQL and the retry poller seconds later. {@code sent} is called
     * once no request is out any more for this attempt (answered, failed, refused, deferred or
     * cancelled) and only its outcome remains to be written.
     */
    @Override
    public Mono<Void> run(DeliveryTask task, Runnable sent) {
        return guards.admitInTurn(task.endpoint().id(), task.endpoint().throttleRate())
                .flatMap(admission -> switch (admission) {
                    case Admission.Deferred deferred -> Mono.fromRunnable(sent).then(defer(task, deferred));
                    case Admission.Admitted admitted -> traced(task, admitted.permit(), sent);
                });
    }

    /**
     * The attempt under a client span of its own (ended once the answer, or its absence, is
     * known); the span's trace id goes on the attempt row.
     */
    private Mono<Void> traced(DeliveryTask task, EndpointPermit permit, Runnable sent) {
        return Mono.defer(() -> {
            Span span = traces.attempt(task);
            return attempt(task, permit, span)
                    .doOnNext(result -> span.tag("http.response.status_code", result.statusCode())
                            .tag("hookrelay.outcome", result.outcome().name()))
                    .doOnError(span::error)
                    .doFinally(signal -> {
                        try {
                            span.end();
                        } finally {
                            sent.run();
                        }
                    })
                    .flatMap(result -> {
                        sent.run();
                        return record(task, result, span);
                    });
        });
    }

    /**
     * Everything that happens under the endpoint's permit, the destination's lookup included: a
     * name that takes long to resolve holds this endpoint's bulkhead slots only, never another's.
     */
    private Mono<Result> attempt(DeliveryTask task, EndpointPermit permit, Span span) {
        long started = System.nanoTime();
        return Mono.defer(() -> {
                    URI url = URI.create(task.endpoint().url());
                    byte[] body = task.message().payload().getBytes(StandardCharsets.UTF_8);
                    return guard.check(url).then(Mono.defer(() -> send(task, url, body, span)));
                })
                .onErrorResume(DestinationRefusedException.class, refused -> Mono.just(refusal(refused)))
                .onErrorResume(DestinationLookupTimeoutException.class, timedOut -> Mono.just(new Result(
                        classifier.classifyNetworkError(timedOut.getMessage()), 0, timedOut.getMessage(),
                        Duration.ofNanos(System.nanoTime() - started))))
                .doOnNext(result -> {
                    switch (result.outcome()) {
                        case DeliveryOutcome.Refused refused -> permit.unused();
                        case DeliveryOutcome.Retryable retryable -> permit.failed(result.duration(), retryable.reason());
                        default -> permit.succeeded(result.duration());
                    }
                })
                .doOnError(error -> permit.unused())
                .doOnCancel(permit::unused)
                .doFinally(signal -> permit.release());
    }

    /** Not now (circuit open, endpoint busy or throttled): scheduled again, no attempt counted. */
    private Mono<Void> defer(DeliveryTask task, Admission.Deferred deferred) {
        String reason = deferred.reason().name().toLowerCase(java.util.Locale.ROOT);
        meters.counter("hookrelay.delivery.deferred", "reason", reason).increment();
        Instant due = clock.instant().plus(deferred.delay());
        return pending.save(new PendingDelivery(task.message().messageId(), task.endpoint().id(), task.message().appId(),
                task.attempt() - 1, PendingDelivery.State.SCHEDULED, due, "deferred", reason));
    }

    private Mono<Result> send(DeliveryTask task, URI url, byte[] body, Span span) {
        HttpHeaders headers = sign(task, body);
        traces.addTo(headers, span);
        return quickRetry.around(sender.send(url, headers, body)).map(response -> switch (response) {
            case WebhookResponse.Received received -> new Result(
                    classifier.classify(received.status(), received.retryAfter()),
                    received.status(),
                    received.bodyPrefix(),
                    received.duration());
            case WebhookResponse.NoResponse none -> new Result(
                    classifier.classifyNetworkError(none.reason()), 0, none.reason(), none.duration());
        });
    }

    private HttpHeaders sign(DeliveryTask task, byte[] body) {
        String messageId = task.message().messageId();
        long timestamp = clock.instant().getEpochSecond();
        var headers = new HttpHeaders();
        task.endpoint().headers().forEach((name, value) -> {
            if (!ReservedHeaders.isReserved(name)) {
                headers.set(name, value);
            }
        });
        headers.set("webhook-id", messageId);
        headers.set("webhook-timestamp", Long.toString(timestamp));
        headers.set("webhook-signature", signers.forSecrets(task.endpoint().secrets()).sign(messageId, timestamp, body));
        return headers;
    }

    private static Result refusal(DestinationRefusedException refused) {
        return new Result(new DeliveryOutcome.Refused(refused.getMessage()), 0, refused.getMessage(), Duration.ZERO);
    }

    private Mono<Void> record(DeliveryTask task, Result result, Span span) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        boolean delivered = result.outcome() instanceof DeliveryOutcome.Delivered;
        var attempt = new Attempt(
                ids.next(PrefixedId.ATTEMPT),
                task.message().appId(),
                task.message().messageId(),
                task.endpoint().id(),
                task.endpoint().url(),
                delivered ? Attempt.SUCCESS : Attempt.FAIL,
                result.statusCode(),
                result.response(),
                result.duration().toMillis(),
                task.trigger(),
                result.outcome().name(),
                now,
                DeliveryTraces.traceId(span));
        NextStep next = planner.next(result.outcome(), task.attempt(), now);
        metrics.attempted(result.outcome(), result.statusCode(), result.duration(), next, task.message().timestamp(), now);
        logAttempt(task, result, next, span, delivered ? Level.DEBUG : Level.INFO);
        return outcomes.write(attempt, pendingAfter(task, result, next, now))
                .then(next instanceof NextStep.GiveUp ? publishDeadLetter(task, result, now) : Mono.empty())
                .then(health.record(task.message().appId(), task.endpoint().id(), result.outcome())
                        .onErrorResume(error -> {
                            log.warn("Endpoint health of {} not updated: {}", task.endpoint().id(), error.toString());
                            return Mono.empty();
                        }));
    }

    /**
     * One line per attempt, with the attempt's span in scope so that it carries the message's trace
     * (ADR 0018): INFO for an attempt that did not deliver, DEBUG for one that did.
     */
    private void logAttempt(DeliveryTask task, Result result, NextStep next, Span span, Level level) {
        if (!log.isEnabledForLevel(level)) {
            return;
        }
        try (var inScope = traces.inScope(span)) {
            log.atLevel(level).log("Attempt {} of {} to {}: {}; next: {}", task.attempt(), task.message().messageId(),
                    task.endpoint().id(), result.outcome(), next);
        }
    }

    /** The delivery row after this attempt: gone when delivered (null), else rescheduled or dead. */
    private static PendingDelivery pendingAfter(DeliveryTask task, Result result, NextStep next, Instant now) {
        return switch (next) {
            case NextStep.Done done -> null;
            case NextStep.RetryAt retry -> pendingOf(task, result, PendingDelivery.State.SCHEDULED, retry.at());
            // Kept as "dead" until its dead-letter record is out, so a crash cannot lose that record.
            case NextStep.GiveUp giveUp -> pendingOf(task, result, PendingDelivery.State.DEAD, now);
        };
    }

    private Mono<Void> publishDeadLetter(DeliveryTask task, Result result, Instant now) {
        var failed = new DeliveryFailed(task.message().appId(), task.message().messageId(), task.endpoint().id(),
                task.attempt(), result.outcome().name(), reason(result), now);
        return deadLetters.publish(failed)
                .then(pending.delete(task.message().messageId(), task.endpoint().id()))
                .onErrorResume(error -> {
                    log.warn("Dead letter for {} to {} not published yet, the retry poller will: {}",
                            task.message().messageId(), task.endpoint().id(), error.toString());
                    return Mono.empty();
                });
    }

    private static PendingDelivery pendingOf(DeliveryTask task, Result result, PendingDelivery.State state, Instant due) {
        return new PendingDelivery(task.message().messageId(), task.endpoint().id(), task.message().appId(),
                task.attempt(), state, due, result.outcome().name(), reason(result));
    }

    private static String reason(Result result) {
        String reason = result.statusCode() > 0 ? "HTTP " + result.statusCode() : result.response();
        return reason.length() > 500 ? reason.substring(0, 500) : reason;
    }

    private record Result(DeliveryOutcome outcome, int statusCode, String response, Duration duration) {}
}
