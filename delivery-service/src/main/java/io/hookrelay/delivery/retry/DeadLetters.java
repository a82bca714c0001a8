package io.hookrelay.delivery.retry;

import io.hookrelay.events.DeliveryFailed;
import io.hookrelay.events.Topics;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/** Publishes a {@link DeliveryFailed} record for each delivery that failed for good. */
@Component
public class DeadLetters {

    private final KafkaTemplate<String, byte[]> kafka;
    private final JsonMapper json;

    public DeadLetters(KafkaTemplate<String, byte[]> kafka, JsonMapper json) {
        this.kafka = kafka;
        this.json = json;
    }

    /** Completes once the broker has the record. */
    public Mono<Void> publish(DeliveryFailed failed) {
        // send() may block on metadata: keep it off event-loop threads.
        return Mono.fromCallable(() -> kafka.send(Topics.DEAD_LETTERS, failed.messageId(), json.writeValueAsBytes(failed)))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(Mono::fromFuture)
                .then();
    }
}
