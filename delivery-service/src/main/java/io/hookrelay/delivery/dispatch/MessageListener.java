package io.hookrelay.delivery.dispatch;

import io.hookrelay.events.MessageAccepted;
import io.hookrelay.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consumes accepted messages. The listener returns a {@link Mono}: Spring Kafka acknowledges the
 * record, and so lets its offset be committed, only when the Mono completes, that is after every
 * attempt for the message has been written to PostgreSQL.
 */
@Component
class MessageListener {

    private static final Logger log = LoggerFactory.getLogger(MessageListener.class);

    private final Dispatcher dispatcher;
    private final JsonMapper json;

    MessageListener(Dispatcher dispatcher, JsonMapper json) {
        this.dispatcher = dispatcher;
        this.json = json;
    }

    @KafkaListener(topics = Topics.MESSAGES, groupId = "${spring.kafka.consumer.group-id}")
    Mono<Void> onMessage(ConsumerRecord<String, byte[]> record) {
        MessageAccepted message;
        try {
            message = json.readValue(record.value(), MessageAccepted.class);
        } catch (JacksonException e) {
            log.error("Skipping unreadable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getOriginalMessage());
            return Mono.empty();
        }
        return dispatcher.dispatch(message);
    }
}
