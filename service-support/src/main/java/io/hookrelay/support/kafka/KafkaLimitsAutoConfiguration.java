package io.hookrelay.support.kafka;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The Kafka size limits ({@link KafkaRecordLimits}) and the set-up of the topics a service
 * declares as {@link NewTopic} beans with those limits ({@link TopicSetup}). Spring's own topic
 * creation at start-up is turned off in each service's configuration
 * ({@code spring.kafka.admin.auto-create: false}).
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@EnableConfigurationProperties(KafkaRecordLimits.class)
public class KafkaLimitsAutoConfiguration {

    @Bean
    TopicSetup topicSetup(KafkaAdmin admin, ObjectProvider<NewTopic> topics) {
        return new TopicSetup(admin, topics.orderedStream().toList());
    }
}
