package io.hookrelay.support;

import io.hookrelay.support.api.ApiErrorHandler;
import io.hookrelay.support.health.KafkaHealthIndicator;
import io.hookrelay.support.kafka.RetryForever;
import io.hookrelay.support.openapi.ResponseFieldsRequired;
import io.hookrelay.support.reactor.DroppedErrors;
import io.hookrelay.support.openapi.SvixDocumentConventions;
import io.hookrelay.support.secrets.SecretCipher;
import io.hookrelay.support.secrets.SecretsProperties;
import io.hookrelay.support.security.FrontDoorConfiguration;
import io.swagger.v3.oas.models.media.ObjectSchema;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.CommonErrorHandler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Registers what every HookRelay service behind the gateway has. */
@AutoConfiguration(before = KafkaAutoConfiguration.class)
@EnableConfigurationProperties(SecretsProperties.class)
@Import(FrontDoorConfiguration.class)
public class ServiceSupportAutoConfiguration {

    static {
        // a response to a caller who hung up is not an error of ours (see DroppedErrors)
        DroppedErrors.install();
    }

    @Bean
    ApiErrorHandler apiErrorHandler(JsonMapper json) {
        return new ApiErrorHandler(json);
    }

    @Bean
    SecretCipher secretCipher(SecretsProperties properties) {
        return SecretCipher.from(properties);
    }

    /** Listeners retry a failing record until it succeeds instead of skipping it (see {@link RetryForever}). */
    @Bean
    CommonErrorHandler kafkaListenerErrorHandler() {
        return RetryForever.errorHandler();
    }

    /** The service's OpenAPI document (springdoc, {@code /v3/api-docs}) written with Svix's conventions. */
    @Bean
    SvixDocumentConventions svixDocumentConventions() {
        // Free-form JSON (payloads, event type schemas, patches) is a JSON object to clients.
        SpringDocUtils.getConfig().replaceWithSchema(JsonNode.class, new ObjectSchema());
        return new SvixDocumentConventions();
    }

    @Bean
    ResponseFieldsRequired responseFieldsRequired() {
        return new ResponseFieldsRequired();
    }

    /**
     * Named "kafka" so it shows as {@code components.kafka} in the health document. Built from
     * Boot's {@link KafkaAdmin}, so it connects with the same TLS/SASL settings as the service's
     * producers and consumers.
     */
    @Bean(name = "kafka", destroyMethod = "close")
    KafkaHealthIndicator kafka(KafkaAdmin kafkaAdmin) {
        return new KafkaHealthIndicator(kafkaAdmin);
    }
}
