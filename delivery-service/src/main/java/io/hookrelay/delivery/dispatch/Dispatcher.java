package io.hookrelay.delivery.dispatch;

import io.hookrelay.events.MessageAccepted;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Fans one accepted message out to every enabled endpoint of its application that subscribes to
 * it, making each first attempt. Endpoints are tried concurrently, so one slow receiver does not
 * hold up the others of the same message.
 */
@Component
class Dispatcher {

    private final EndpointDirectory endpoints;
    private final DeliveryAttempt attempt;

    Dispatcher(EndpointDirectory endpoints, DeliveryAttempt attempt) {
        this.endpoints = endpoints;
        this.attempt = attempt;
    }

    Mono<Void> dispatch(MessageAccepted message) {
        return endpoints
                .enabledEndpoints(message.appId())
                .filter(endpoint -> endpoint.subscribesTo(message.eventType(), message.channels()))
                .flatMap(endpoint -> attempt.run(new DeliveryTask(message, endpoint, 1)))
                .then();
    }
}
