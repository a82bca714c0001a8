package io.hookrelay.support.kafka;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaAdmin;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Creates the service's topics with their size limits, or corrects the limits of topics that
 * exist (created by an older version, or auto-created with the broker's defaults). Runs in the
 * background and retries until Kafka answers: ingest-service must start, and accept messages,
 * while Kafka is unreachable (Spring's own start-up creation would hold the start for its whole
 * timeout and then give up).
 */
public final class TopicSetup implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);

    private final KafkaAdmin admin;
    private final List<NewTopic> topics;
    private volatile Disposable running;

    public TopicSetup(KafkaAdmin admin, List<NewTopic> topics) {
        this.admin = admin;
        this.topics = List.copyOf(topics);
    }

    @Override
    public void start() {
        if (topics.isEmpty()) {
            return;
        }
        running = Mono.fromRunnable(() -> admin.createOrModifyTopics(topics.toArray(NewTopic[]::new)))
                .subscribeOn(Schedulers.boundedElastic())
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1))
                        .maxBackoff(Duration.ofSeconds(30))
                        .doBeforeRetry(failure -> log.warn("Kafka topics not set up yet, will retry: {}",
                                failure.failure().toString())))
                .subscribe(done -> {}, error -> {}, () -> log.info("Kafka topics set up: {}",
                        topics.stream().map(topic -> topic.name() + " " + topic.configs()).toList()));
    }

    @Override
    public void stop() {
        Disposable current = running;
        if (current != null) {
            current.dispose();
        }
        running = null;
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }
}
