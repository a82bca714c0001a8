package io.hookrelay.delivery.dispatch;

import io.hookrelay.events.Topics;
import io.hookrelay.events.UnreadableRecordException;
import io.hookrelay.support.kafka.KafkaRecordLimits;
import io.hookrelay.support.kafka.RetryForever;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * What the messages listener does with a record it can never process: it goes, same key and
 * value, to {@link Topics#MESSAGES_DEAD_LETTERS} with headers saying where it came from and why
 * ({@value #REASON_HEADER} plus Spring Kafka's {@code kafka_dlt-*} headers), is counted in
 * {@code hookrelay.delivery.messages.dead-lettered}, logged once, and the listener moves on.
 * Everything else — PostgreSQL or Kafka unavailable — is retried for ever ({@link RetryForever}).
 * Sizes follow {@code hookrelay.kafka.max-record-bytes}: a dead letter is a messages record plus
 * headers, so this service's producer and the dead-letter topic allow a little more.
 */
@Configuration(proxyBeanMethods = false)
class MessageDeadLetters {

    static final String REASON_HEADER = "hookrelay-dlt-reason";
    private static final int MAX_REASON_CHARS = 1000;
    private static final Logger log = LoggerFactory.getLogger(MessageDeadLetters.class);

    @Bean
    NewTopic messagesTopic(KafkaRecordLimits limits) {
        return KafkaRecordLimits.topic(Topics.MESSAGES, limits.messagesTopicMaxBytes());
    }

    @Bean
    NewTopic messagesDeadLetterTopic(KafkaRecordLimits limits) {
        return KafkaRecordLimits.topic(Topics.MESSAGES_DEAD_LETTERS, limits.deadLetterTopicMaxBytes());
    }

    @Bean
    DefaultKafkaProducerFactoryCustomizer deadLetterRecordLimit(KafkaRecordLimits limits) {
        return factory -> factory.updateConfigs(
                Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, limits.deadLetterProducerMaxBytes()));
    }

    @Bean
    CommonErrorHandler kafkaListenerErrorHandler(KafkaTemplate<String, byte[]> kafka, MeterRegistry meters) {
        var publisher = new DeadLetterPublishingRecoverer(kafka,
                (record, failure) -> new TopicPartition(Topics.MESSAGES_DEAD_LETTERS, -1));
        // The reason is in a header of ours; a stack trace per record would only make it larger.
        publisher.excludeHeader(DeadLetterPublishingRecoverer.HeaderNames.HeadersToAdd.EX_STACKTRACE);
        publisher.addHeadersFunction((record, failure) -> new RecordHeaders().add(
                REASON_HEADER, reason(failure).getBytes(StandardCharsets.UTF_8)));
        ConsumerRecordRecoverer recoverer = (record, failure) -> {
            publisher.accept(record, failure);
            deadLettered(record, failure, meters);
        };
        return RetryForever.errorHandler(recoverer);
    }

    private static void deadLettered(ConsumerRecord<?, ?> record, Exception failure, MeterRegistry meters) {
        Counter.builder("hookrelay.delivery.messages.dead-lettered")
                .description("Records of the messages topic that could never be processed, moved to its dead-letter topic")
                .register(meters)
                .increment();
        log.warn("Record {}-{}@{} (key {}) moved to {}: {}", record.topic(), record.partition(), record.offset(),
                record.key(), Topics.MESSAGES_DEAD_LETTERS, reason(failure));
    }

    /** The unreadable record's own reason when there is one, else the innermost failure. */
    static String reason(Throwable failure) {
        Throwable innermost = failure;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnreadableRecordException) {
                return truncate(cause.getMessage());
            }
            innermost = cause;
        }
        return truncate(innermost.toString());
    }

    private static String truncate(String reason) {
        String text = reason == null ? "unknown" : reason;
        return text.length() <= MAX_REASON_CHARS ? text : text.substring(0, MAX_REASON_CHARS) + "…";
    }
}
