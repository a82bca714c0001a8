package io.hookrelay.support.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.infra.KafkaBroker;
import io.hookrelay.support.ServiceSupportAutoConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The health check talks to Kafka the way the service's producers and consumers do: with the
 * {@code spring.kafka.security.*}, {@code spring.kafka.ssl.*} and {@code spring.kafka.properties.*}
 * settings. Against a PLAINTEXT broker, a client told to speak SASL cannot get an answer, so the
 * health goes DOWN — it would be UP if the check ignored the settings (as it once did, built from
 * the bootstrap servers only).
 */
class KafkaHealthIndicatorIT {

    private static KafkaBroker broker;

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    JacksonAutoConfiguration.class, KafkaAutoConfiguration.class, ServiceSupportAutoConfiguration.class))
            .withPropertyValues("hookrelay.secrets.allow-unencrypted=true", "hookrelay.internal-token=test");

    @BeforeAll
    static void start() throws Exception {
        Path directory = Files.createTempDirectory("kafka-health-it");
        broker = KafkaBroker.start(directory.resolve("kafka"), 0);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void isUpWithThePlainSettingsTheBrokerSpeaks() {
        contexts.withPropertyValues("spring.kafka.bootstrap-servers=" + broker.bootstrapServers())
                .run(context -> assertThat(health(context.getBean("kafka", KafkaHealthIndicator.class))).isEqualTo(Status.UP));
    }

    @Test
    void usesTheSaslSettingsOfTheService() {
        contexts.withPropertyValues(
                        "spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                        "spring.kafka.security.protocol=SASL_PLAINTEXT",
                        "spring.kafka.properties.sasl.mechanism=PLAIN",
                        "spring.kafka.properties.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
                                + " required username=\"hookrelay\" password=\"not-a-real-one\";")
                .run(context -> assertThat(health(context.getBean("kafka", KafkaHealthIndicator.class))).isEqualTo(Status.DOWN));
    }

    @Test
    void usesTheTlsSettingsOfTheService() {
        contexts.withPropertyValues(
                        "spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                        "spring.kafka.security.protocol=SSL")
                .run(context -> assertThat(health(context.getBean("kafka", KafkaHealthIndicator.class))).isEqualTo(Status.DOWN));
    }

    private static Status health(KafkaHealthIndicator indicator) {
        return indicator.health(false).block().getStatus();
    }
}
