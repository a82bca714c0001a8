package io.hookrelay.delivery.dispatch;

import io.hookrelay.support.secrets.SecretCipher;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an application's enabled endpoints from the table ingest-service owns (read-only; see
 * docs/adr/0002). The one query behind {@link EndpointDirectory}, run when its cache misses.
 */
@Component
class EndpointRows {

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

    private final DatabaseClient db;
    private final JsonMapper json;
    private final Clock clock;
    private final SecretCipher secrets;

    EndpointRows(DatabaseClient db, JsonMapper json, Clock clock, SecretCipher secrets) {
        this.db = db;
        this.json = json;
        this.clock = clock;
        this.secrets = secrets;
    }

    Mono<ApplicationEndpoints> enabledEndpoints(String appId) {
        return db.sql("select id, app_id, url, event_types, channels, secret, previous_secret, previous_secret_expires_at,"
                        + " throttle_rate, headers from ingest.endpoint"
                        + " where app_id = :appId and not disabled order by id")
                .bind("appId", appId)
                .map(this::read)
                .all()
                .collectList()
                .map(ApplicationEndpoints::of);
    }

    private ApplicationEndpoints.Row read(Readable row) {
        // Each column is read once: the driver decodes from the row's buffer, a second get may not see it.
        String previous = row.get("previous_secret", String.class);
        Instant previousUntil = row.get("previous_secret_expires_at", Instant.class);
        boolean previousSigns = previous != null && previousUntil != null && previousUntil.isAfter(clock.instant());
        var target = new EndpointTarget(
                row.get("id", String.class),
                row.get("app_id", String.class),
                row.get("url", String.class),
                list(row.get("event_types", String[].class)),
                list(row.get("channels", String[].class)),
                secrets(row.get("secret", String.class), previousSigns ? previous : null),
                row.get("throttle_rate", Integer.class),
                headers(row.get("headers", Json.class)));
        return new ApplicationEndpoints.Row(target, previousSigns ? previousUntil : null);
    }

    private List<String> secrets(String current, String previousStillSigning) {
        return previousStillSigning == null
                ? List.of(secrets.decrypt(current))
                : List.of(secrets.decrypt(current), secrets.decrypt(previousStillSigning));
    }

    private Map<String, String> headers(Json value) {
        return value == null ? Map.of() : json.readValue(value.asString(), STRING_MAP);
    }

    private static List<String> list(String[] values) {
        return values == null ? List.of() : Arrays.asList(values);
    }
}
