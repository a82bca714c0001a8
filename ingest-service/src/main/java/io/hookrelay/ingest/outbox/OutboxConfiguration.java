package io.hookrelay.ingest.outbox;

import io.hookrelay.events.Topics;
import io.hookrelay.support.kafka.KafkaRecordLimits;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The messages topic and the producer that fills it, sized from {@code hookrelay.kafka.max-record-bytes}. */
@Configuration(proxyBeanMethods = false)
class OutboxConfiguration {

    /** Created or corrected in the background ({@code TopicSetup}) with room for any record accepted. */
    @Bean
    NewTopic messagesTopic(KafkaRecordLimits limits) {
        return KafkaRecordLimits.topic(Topics.MESSAGES, limits.messagesTopicMaxBytes());
    }

    /** The producer takes exactly what accept lets through (the same measure, the same limit). */
    @Bean
    DefaultKafkaProducerFactoryCustomizer producerRecordLimit(KafkaRecordLimits limits) {
        return factory -> factory.updateConfigs(
                java.util.Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, limits.maxRecordSize()));
    }
}
