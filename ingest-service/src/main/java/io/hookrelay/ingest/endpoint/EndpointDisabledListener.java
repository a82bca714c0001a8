package io.hookrelay.ingest.endpoint;

import io.hookrelay.events.EndpointDisabled;
import io.hookrelay.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies delivery-service's decision to disable an endpoint (it answered 410 Gone, or it has
 * failed for days). ingest-service owns endpoints, so the change is made here; delivery sees it
 * on its next read. The record is acknowledged once the update is committed.
 */
@Component
class EndpointDisabledListener {

    private static final Logger log = LoggerFactory.getLogger(EndpointDisabledListener.class);

    private final DatabaseClient db;
    private final JsonMapper json;

    EndpointDisabledListener(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    @KafkaListener(topics = Topics.OPERATIONAL, groupId = "${spring.kafka.consumer.group-id}")
    Mono<Void> onOperationalEvent(ConsumerRecord<String, byte[]> record) {
        EndpointDisabled event;
        try {
            event = json.readValue(record.value(), EndpointDisabled.class);
        } catch (JacksonException e) {
            log.error("Skipping unreadable operational record {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getOriginalMessage());
            return Mono.empty();
        }
        return db.sql("update ingest.endpoint set disabled = true, updated_at = now()"
                        + " where id = :id and app_id = :app and not disabled")
                .bind("id", event.endpointId())
                .bind("app", event.appId())
                .fetch()
                .rowsUpdated()
                .doOnNext(updated -> {
                    if (updated > 0) {
                        log.warn("Endpoint {} of {} disabled ({}): {}", event.endpointId(), event.appId(), event.reason(),
                                event.detail());
                    }
                })
                .then();
    }
}
