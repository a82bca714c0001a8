package io.hookrelay.delivery.health;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.hookrelay.delivery.classification.DeliveryOutcome;
import io.hookrelay.events.EndpointDisabled;
import io.hookrelay.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tracks since when each endpoint has been failing and decides when it must be disabled: at once
 * on 410 Gone, or after failing without a success for {@code disable-after}. The decision is an
 * {@link EndpointDisabled} operational event (ingest-service owns endpoints and disables it), a
 * log line and the {@code hookrelay.endpoints.disabled} counter. Writes happen only when an
 * endpoint's state changes, not on every attempt.
 */
@Component
public class EndpointHealth {

    private static final Logger log = LoggerFactory.getLogger(EndpointHealth.class);

    private final DatabaseClient db;
    private final KafkaTemplate<String, byte[]> kafka;
    private final JsonMapper json;
    private final EndpointHealthProperties properties;
    private final MeterRegistry meters;
    private final Clock clock;
    /** Endpoints last seen healthy by this process: a success for them needs no write. */
    private final Cache<String, Boolean> knownHealthy =
            Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(10)).build();

    public EndpointHealth(
            DatabaseClient db,
            KafkaTemplate<String, byte[]> kafka,
            JsonMapper json,
            EndpointHealthProperties properties,
            MeterRegistry meters,
            Clock clock) {
        this.db = db;
        this.kafka = kafka;
        this.json = json;
        this.properties = properties;
        this.meters = meters;
        this.clock = clock;
    }

    /** Takes note of an attempt's outcome; completes once any state change is recorded. */
    public Mono<Void> record(String appId, String endpointId, DeliveryOutcome outcome) {
        return switch (outcome) {
            case DeliveryOutcome.Delivered delivered -> healthy(endpointId);
            case DeliveryOutcome.EndpointGone gone -> properties.disableOnGone()
                    ? disable(appId, endpointId, "gone", "the endpoint answered 410 Gone")
                    : failing(appId, endpointId);
            case DeliveryOutcome.Refused refused -> Mono.empty();
            case DeliveryOutcome.Retryable retryable -> failing(appId, endpointId);
            case DeliveryOutcome.Failed failed -> failing(appId, endpointId);
        };
    }

    private Mono<Void> healthy(String endpointId) {
        if (knownHealthy.getIfPresent(endpointId) != null) {
            return Mono.empty();
        }
        return db.sql("update delivery.endpoint_health set failing_since = null where endpoint_id = :id"
                        + " and failing_since is not null")
                .bind("id", endpointId)
                .then()
                .doOnSuccess(done -> knownHealthy.put(endpointId, Boolean.TRUE));
    }

    private Mono<Void> failing(String appId, String endpointId) {
        knownHealthy.invalidate(endpointId);
        Instant now = clock.instant();
        return db.sql("insert into delivery.endpoint_health (endpoint_id, app_id, failing_since) values (:id, :app, :now)"
                        + " on conflict (endpoint_id) do update set failing_since ="
                        + " coalesce(endpoint_health.failing_since, excluded.failing_since)"
                        + " returning failing_since, disabled_at")
                .bind("id", endpointId)
                .bind("app", appId)
                .bind("now", now)
                .map(row -> new Failing(row.get("failing_since", Instant.class), row.get("disabled_at", Instant.class)))
                .one()
                .flatMap(state -> state.disabledAt() == null
                                && Duration.between(state.since(), now).compareTo(properties.disableAfter()) >= 0
                        ? disable(appId, endpointId, "failing", "failing without a success since " + state.since())
                        : Mono.empty());
    }

    private Mono<Void> disable(String appId, String endpointId, String reason, String detail) {
        var event = new EndpointDisabled(appId, endpointId, reason, detail, clock.instant());
        log.warn("Disabling endpoint {} of {}: {}", endpointId, appId, detail);
        meters.counter("hookrelay.endpoints.disabled", "reason", reason).increment();
        return Mono.fromCallable(() -> kafka.send(Topics.OPERATIONAL, endpointId, json.writeValueAsBytes(event)))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(Mono::fromFuture)
                .then(db.sql("insert into delivery.endpoint_health (endpoint_id, app_id, disabled_at) values (:id, :app, now())"
                                + " on conflict (endpoint_id) do update set disabled_at = now()")
                        .bind("id", endpointId)
                        .bind("app", appId)
                        .then());
    }

    private record Failing(Instant since, Instant disabledAt) {}
}
