package io.hookrelay.delivery.dispatch;

import io.hookrelay.events.MessageAccepted;
import io.hookrelay.events.MessageRecords;
import io.hookrelay.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Consumes accepted messages. The listener returns a {@link Mono}: Spring Kafka acknowledges the
 * record, and so lets its offset be committed, only when the Mono completes, that is after every
 * attempt for the message has been written to PostgreSQL. A record that cannot be read (either
 * format, see {@link MessageRecords}) throws before any work, and the error handler moves it to
 * {@link Topics#MESSAGES_DEAD_LETTERS} ({@link MessageDeadLetters}); any other failure is retried.
 */
@Component
class MessageListener {

    private final Dispatcher dispatcher;

    MessageListener(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @KafkaListener(topics = Topics.MESSAGES, groupId = "${spring.kafka.consumer.group-id}")
    Mono<Void> onMessage(ConsumerRecord<String, byte[]> record) {
        MessageAccepted message = MessageRecords.decode(record.value());
        return dispatcher.dispatch(message);
    }
}
