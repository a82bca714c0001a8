package io.hookrelay.gateway.health;

import io.hookrelay.gateway.GatewayProperties;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/health/}: 200 only when the gateway (with its token database) and every
 * service behind it report UP (each service's own health covers its PostgreSQL and Kafka),
 * otherwise 503 naming the part that is not ready. The answer is public, so it is computed at most
 * once per {@link HealthProperties#cacheFor()} and shared by every caller in that time.
 *
 * <p>{@code GET /api/v1/health/ping}: Svix's liveness check, 204 as soon as the gateway answers
 * HTTP, touching nothing behind it.
 */
@RestController
class HealthController {

    private final WebClient client;
    private final GatewayProperties properties;
    private final DatabaseClient database;
    private final Mono<ResponseEntity<Map<String, Object>>> shared;

    HealthController(GatewayProperties properties, HealthProperties health, DatabaseClient database) {
        this.client = WebClient.create();
        this.properties = properties;
        this.database = database;
        // Mono#cache: one subscription computes, everyone subscribing meanwhile or within the
        // period gets its result; the next caller after the period starts a new computation
        this.shared = health.cacheFor().isZero() ? Mono.defer(this::compute) : compute().cache(health.cacheFor());
    }

    @RequestMapping(value = {"/api/v1/health", "/api/v1/health/"}, method = {RequestMethod.GET, RequestMethod.HEAD})
    Mono<ResponseEntity<Map<String, Object>>> health() {
        return shared;
    }

    @GetMapping("/api/v1/health/ping")
    ResponseEntity<Void> ping() {
        return ResponseEntity.noContent().build();
    }

    private Mono<ResponseEntity<Map<String, Object>>> compute() {
        return Mono.zip(ownDatabase(), status(properties.ingestUri()), status(properties.deliveryUri()))
                .map(statuses -> {
                    Map<String, Object> components = new LinkedHashMap<>();
                    components.put("gateway", statuses.getT1());
                    components.put("ingest-service", statuses.getT2());
                    components.put("delivery-service", statuses.getT3());
                    boolean up = components.values().stream().allMatch("UP"::equals);
                    Map<String, Object> body = Map.of("status", up ? "UP" : "DOWN", "components", components);
                    return ResponseEntity.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
                });
    }

    /** The gateway needs its database to verify tokens. */
    private Mono<String> ownDatabase() {
        return database.sql("select 1").fetch().rowsUpdated()
                .thenReturn("UP")
                .timeout(properties.healthTimeout())
                .onErrorReturn("DOWN");
    }

    private Mono<String> status(URI service) {
        return client.get()
                .uri(service.resolve("/actuator/health"))
                .exchangeToMono(response -> response.bodyToMono(Map.class)
                        .map(body -> String.valueOf(body.get("status")))
                        .defaultIfEmpty("DOWN"))
                .timeout(properties.healthTimeout())
                .onErrorReturn("DOWN");
    }
}
