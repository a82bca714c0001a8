package io.hookrelay.delivery.dispatch;

import io.hookrelay.events.MessageAccepted;
import io.hookrelay.events.MessageRecords;
import io.hookrelay.events.Topics;
import io.hookrelay.events.UnreadableRecordException;
import io.hookrelay.support.kafka.RetryForever;
import io.micrometer.tracing.Span;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Consumes accepted messages. The listener returns a {@link Mono}: Spring Kafka acknowledges the
 * record, and so lets its offset be committed, only when the Mono completes, that is after every
 * attempt for the message has been written to PostgreSQL.
 *
 * <p>The Mono never fails. A record that can never be processed (either format unreadable, see
 * {@link MessageRecords}) goes to {@link Topics#MESSAGES_DEAD_LETTERS}; any other failure
 * (PostgreSQL or Kafka unavailable) is retried inside the Mono for as long as it takes, so the
 * message is neither dropped nor dead-lettered for a cause that time cures.
 */
@Component
class MessageListener {

    private static final Logger log = LoggerFactory.getLogger(MessageListener.class);

    private final Dispatcher dispatcher;
    private final MessageDeadLetters deadLetters;
    private final DeliveryTraces traces;

    MessageListener(Dispatcher dispatcher, MessageDeadLetters deadLetters, DeliveryTraces traces) {
        this.dispatcher = dispatcher;
        this.deadLetters = deadLetters;
        this.traces = traces;
    }

    /** Under a span continuing the trace of the request that accepted the message ({@link DeliveryTraces}). */
    @KafkaListener(topics = Topics.MESSAGES, groupId = "${spring.kafka.consumer.group-id}")
    Mono<Void> onMessage(ConsumerRecord<String, byte[]> record) {
        Span span = traces.consumed(record);
        MessageAccepted message;
        try {
            message = MessageRecords.decode(record.value());
        } catch (UnreadableRecordException unreadable) {
            span.error(unreadable);
            return untilDone(deadLetters.publish(record, unreadable), record).doFinally(signal -> span.end());
        }
        span.tag("hookrelay.msg_id", message.messageId());
        return untilDone(dispatcher.dispatch(message, span.context()), record).doFinally(signal -> span.end());
    }

    private static Mono<Void> untilDone(Mono<Void> work, ConsumerRecord<String, byte[]> record) {
        return work.retryWhen(RetryForever.retrySpec().doBeforeRetry(retry -> log.warn(
                "Record {}-{}@{} (key {}) not handled yet, retrying (attempt {}): {}", record.topic(),
                record.partition(), record.offset(), record.key(), retry.totalRetries() + 1, retry.failure().toString())));
    }
}
