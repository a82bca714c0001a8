package io.hookrelay.delivery.dispatch;

import io.hookrelay.support.secrets.SecretCipher;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;
import java.util.Arrays;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;

/**
 * Finds the enabled endpoints of an application, read from the table ingest-service owns
 * (read-only; see docs/adr/0002). One query per message, not per delivery.
 */
@Component
class EndpointDirectory {

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

    private final DatabaseClient db;
    private final JsonMapper json;
    private final Clock clock;
    private final SecretCipher secrets;

    EndpointDirectory(DatabaseClient db, JsonMapper json, Clock clock, SecretCipher secrets) {
        this.db = db;
        this.json = json;
        this.clock = clock;
        this.secrets = secrets;
    }

    Flux<EndpointTarget> enabledEndpoints(String appId) {
        return db.sql("select id, app_id, url, event_types, channels, secret, previous_secret, previous_secret_expires_at,"
                        + " throttle_rate, headers from ingest.endpoint"
                        + " where app_id = :appId and not disabled order by id")
                .bind("appId", appId)
                .map(this::read)
                .all();
    }

    /** One enabled endpoint, for a retry; empty when it was disabled or deleted since. */
    reactor.core.publisher.Mono<EndpointTarget> enabledEndpoint(String appId, String endpointId) {
        return db.sql("select id, app_id, url, event_types, channels, secret, previous_secret, previous_secret_expires_at,"
                        + " throttle_rate, headers from ingest.endpoint"
                        + " where app_id = :appId and id = :id and not disabled")
                .bind("appId", appId)
                .bind("id", endpointId)
                .map(this::read)
                .one();
    }

    private EndpointTarget read(Readable row) {
        return new EndpointTarget(
                row.get("id", String.class),
                row.get("app_id", String.class),
                row.get("url", String.class),
                list(row.get("event_types", String[].class)),
                list(row.get("channels", String[].class)),
                secrets(row),
                row.get("throttle_rate", Integer.class),
                headers(row.get("headers", Json.class)));
    }

    private List<String> secrets(Readable row) {
        String previous = secrets.decrypt(row.get("previous_secret", String.class));
        Instant previousUntil = row.get("previous_secret_expires_at", Instant.class);
        String current = secrets.decrypt(row.get("secret", String.class));
        boolean stillSigning = previous != null && previousUntil != null && previousUntil.isAfter(clock.instant());
        return stillSigning ? List.of(current, previous) : List.of(current);
    }

    private Map<String, String> headers(Json value) {
        return value == null ? Map.of() : json.readValue(value.asString(), STRING_MAP);
    }

    private static List<String> list(String[] values) {
        return values == null ? List.of() : Arrays.asList(values);
    }
}
