package io.hookrelay.delivery.dispatch;

import io.hookrelay.events.Topics;
import io.hookrelay.support.kafka.KafkaRecordLimits;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The messages topic and its dead-letter topic with their size limits (created or corrected in
 * the background by {@code TopicSetup}), and this service's producer limit: a dead letter is a
 * messages record plus headers, so the producer and the dead-letter topic allow a little more
 * than the messages topic ({@link KafkaRecordLimits}).
 */
@Configuration(proxyBeanMethods = false)
class MessageTopics {

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
}
