package io.hookrelay.delivery.dispatch;

import io.hookrelay.delivery.attempt.Attempt;
import io.hookrelay.delivery.attempt.AttemptRepository;
import io.hookrelay.delivery.classification.DeliveryOutcome;
import io.hookrelay.delivery.classification.StatusClassifier;
import io.hookrelay.delivery.ssrf.DestinationGuard;
import io.hookrelay.delivery.ssrf.DestinationRefusedException;
import io.hookrelay.events.MessageAccepted;
import io.hookrelay.events.PrefixedId;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Delivers one accepted message to every endpoint that subscribes to it: sign, send, classify,
 * record. Endpoints are handled concurrently, so one slow receiver does not hold up the others
 * of the same message.
 */
@Component
class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final EndpointDirectory endpoints;
    private final DestinationGuard guard;
    private final WebhookSender sender;
    private final Signers signers;
    private final StatusClassifier classifier;
    private final AttemptRepository attempts;
    private final PrefixedId ids;
    private final Clock clock;

    Dispatcher(
            EndpointDirectory endpoints,
            DestinationGuard guard,
            WebhookSender sender,
            Signers signers,
            StatusClassifier classifier,
            AttemptRepository attempts,
            PrefixedId ids,
            Clock clock) {
        this.endpoints = endpoints;
        this.guard = guard;
        this.sender = sender;
        this.signers = signers;
        this.classifier = classifier;
        this.attempts = attempts;
        this.ids = ids;
        this.clock = clock;
    }

    Mono<Void> dispatch(MessageAccepted message) {
        return endpoints
                .enabledEndpoints(message.appId())
                .filter(endpoint -> endpoint.subscribesTo(message.eventType(), message.channels()))
                .flatMap(endpoint -> deliver(message, endpoint))
                .then();
    }

    private Mono<Attempt> deliver(MessageAccepted message, EndpointTarget endpoint) {
        URI url = URI.create(endpoint.url());
        byte[] body = message.payload().getBytes(StandardCharsets.UTF_8);
        return guard.check(url)
                .then(Mono.defer(() -> send(message, endpoint, url, body)))
                .onErrorResume(DestinationRefusedException.class, refused -> Mono.just(refusal(refused)))
                .flatMap(result -> record(message, endpoint, result));
    }

    private Mono<Result> send(MessageAccepted message, EndpointTarget endpoint, URI url, byte[] body) {
        HttpHeaders headers = sign(message.messageId(), endpoint, body);
        return sender.send(url, headers, body).map(response -> switch (response) {
            case WebhookResponse.Received received -> new Result(
                    classifier.classify(received.status(), received.retryAfter()),
                    received.status(),
                    received.bodyPrefix(),
                    received.duration());
            case WebhookResponse.NoResponse none -> new Result(
                    classifier.classifyNetworkError(none.reason()), 0, none.reason(), none.duration());
        });
    }

    private HttpHeaders sign(String messageId, EndpointTarget endpoint, byte[] body) {
        long timestamp = clock.instant().getEpochSecond();
        var signer = signers.forSecret(endpoint.secret());
        var headers = new HttpHeaders();
        headers.set("webhook-id", messageId);
        headers.set("webhook-timestamp", Long.toString(timestamp));
        headers.set("webhook-signature", signer.sign(messageId, timestamp, body));
        return headers;
    }

    private static Result refusal(DestinationRefusedException refused) {
        return new Result(new DeliveryOutcome.Refused(refused.getMessage()), 0, refused.getMessage(), Duration.ZERO);
    }

    private Mono<Attempt> record(MessageAccepted message, EndpointTarget endpoint, Result result) {
        boolean delivered = result.outcome() instanceof DeliveryOutcome.Delivered;
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        var attempt = new Attempt(
                ids.next(PrefixedId.ATTEMPT),
                message.appId(),
                message.messageId(),
                endpoint.id(),
                endpoint.url(),
                delivered ? Attempt.SUCCESS : Attempt.FAIL,
                result.statusCode(),
                result.response(),
                result.duration().toMillis(),
                Attempt.SCHEDULED,
                result.outcome().name(),
                now);
        if (!delivered) {
            log.info("Delivery of {} to {} not successful: {}", message.messageId(), endpoint.id(), result.outcome());
        }
        return attempts.insert(attempt);
    }

    private record Result(DeliveryOutcome outcome, int statusCode, String response, Duration duration) {}
}
