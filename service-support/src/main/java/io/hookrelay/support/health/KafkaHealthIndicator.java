package io.hookrelay.support.health;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.kafka.core.KafkaAdmin;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Kafka is part of readiness: without it accepted messages cannot be published. Its client is
 * configured like every other Kafka client of the service — from Boot's {@link KafkaAdmin}, so
 * with the bootstrap servers, TLS ({@code spring.kafka.ssl.*}, SSL bundles), SASL
 * ({@code spring.kafka.security.*}, {@code spring.kafka.properties.sasl.*}) and any other
 * {@code spring.kafka.admin.*}/{@code spring.kafka.properties.*} — with short timeouts of its own.
 */
public class KafkaHealthIndicator extends AbstractReactiveHealthIndicator implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final Admin admin;

    public KafkaHealthIndicator(KafkaAdmin kafkaAdmin) {
        this(kafkaAdmin.getConfigurationProperties());
    }

    KafkaHealthIndicator(Map<String, Object> adminConfig) {
        var config = new HashMap<>(adminConfig);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "hookrelay-health");
        this.admin = Admin.create(config);
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        return Mono.fromFuture(() -> admin.describeCluster().clusterId().toCompletionStage().toCompletableFuture())
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(TIMEOUT)
                .map(clusterId -> builder.up().withDetail("clusterId", clusterId).build());
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
