package io.hookrelay.delivery.dispatch;

import io.hookrelay.events.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Where a messages record that can never be processed goes: {@link Topics#MESSAGES_DEAD_LETTERS},
 * same key and value, with headers saying where it came from and why (see {@code HEADER_*}). Each
 * one is counted in {@code hookrelay.delivery.messages.dead-lettered} and logged once.
 */
@Component
class MessageDeadLetters {

    static final String HEADER_REASON = "hookrelay-dlt-reason";
    static final String HEADER_TOPIC = "hookrelay-dlt-original-topic";
    static final String HEADER_PARTITION = "hookrelay-dlt-original-partition";
    static final String HEADER_OFFSET = "hookrelay-dlt-original-offset";
    static final String HEADER_TIMESTAMP = "hookrelay-dlt-original-timestamp";
    private static final int MAX_REASON_CHARS = 1000;
    private static final Logger log = LoggerFactory.getLogger(MessageDeadLetters.class);

    private final KafkaTemplate<String, byte[]> kafka;
    private final Counter deadLettered;

    MessageDeadLetters(KafkaTemplate<String, byte[]> kafka, MeterRegistry meters) {
        this.kafka = kafka;
        this.deadLettered = Counter.builder("hookrelay.delivery.messages.dead-lettered")
                .description("Records of the messages topic that could never be processed, moved to its dead-letter topic")
                .register(meters);
    }

    /** Completes once Kafka has the dead letter. */
    Mono<Void> publish(ConsumerRecord<String, byte[]> record, Exception reason) {
        var letter = new ProducerRecord<>(Topics.MESSAGES_DEAD_LETTERS, null, record.key(), record.value());
        letter.headers()
                .add(HEADER_REASON, utf8(truncate(reason.getMessage())))
                .add(HEADER_TOPIC, utf8(record.topic()))
                .add(HEADER_PARTITION, utf8(Integer.toString(record.partition())))
                .add(HEADER_OFFSET, utf8(Long.toString(record.offset())))
                .add(HEADER_TIMESTAMP, utf8(Long.toString(record.timestamp())));
        return Mono.defer(() -> Mono.fromFuture(kafka.send(letter)))
                .doOnSuccess(sent -> {
                    deadLettered.increment();
                    log.warn("Record {}-{}@{} (key {}) moved to {}: {}", record.topic(), record.partition(),
                            record.offset(), record.key(), Topics.MESSAGES_DEAD_LETTERS, truncate(reason.getMessage()));
                })
                .then();
    }

    private static String truncate(String reason) {
        String text = reason == null ? "unknown" : reason;
        return text.length() <= MAX_REASON_CHARS ? text : text.substring(0, MAX_REASON_CHARS) + "…";
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
