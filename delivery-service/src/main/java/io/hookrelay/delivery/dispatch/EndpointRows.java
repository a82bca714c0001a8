package io.hookrelay.delivery.dispatch;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.hookrelay.support.secrets.SecretCipher;
import io.hookrelay.support.secrets.StoredFields;
import io.hookrelay.support.secrets.UnreadableSecretException;
import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an application's enabled endpoints from the table ingest-service owns (read-only; see
 * docs/adr/0002). The one query behind {@link EndpointDirectory}, run when its cache misses.
 *
 * <p>Secrets and custom headers are stored encrypted, each bound to its endpoint and column. One
 * that cannot be used (stored in plain text although a key is configured, bound to another row,
 * under a key not configured) makes only its own endpoint unusable, never the application's
 * others: the endpoint is still owed its messages, nothing is signed or sent with a value we
 * cannot vouch for, and the log says which endpoint and what to do, at most every few minutes.
 */
@Component
class EndpointRows {

    private static final Logger log = LoggerFactory.getLogger(EndpointRows.class);
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

    private final DatabaseClient db;
    private final JsonMapper json;
    private final Clock clock;
    private final SecretCipher secrets;
    private final Cache<String, Boolean> reported = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(5))
            .build();

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
        String id = row.get("id", String.class);
        String appId = row.get("app_id", String.class);
        String url = row.get("url", String.class);
        List<String> eventTypes = list(row.get("event_types", String[].class));
        List<String> channels = list(row.get("channels", String[].class));
        String current = row.get("secret", String.class);
        String previous = row.get("previous_secret", String.class);
        Instant previousUntil = row.get("previous_secret_expires_at", Instant.class);
        Integer throttleRate = row.get("throttle_rate", Integer.class);
        String headers = row.get("headers", String.class);
        boolean previousSigns = previous != null && previousUntil != null && previousUntil.isAfter(clock.instant());
        EndpointTarget target;
        try {
            target = new EndpointTarget(id, appId, url, eventTypes, channels,
                    secrets(id, current, previousSigns ? previous : null), throttleRate, headers(id, headers));
        } catch (UnreadableSecretException e) {
            target = unusable(id, appId, url, eventTypes, channels, throttleRate, e.getMessage());
        } catch (JacksonException e) {
            target = unusable(id, appId, url, eventTypes, channels, throttleRate,
                    "endpoint " + id + " (headers): not a JSON object of strings");
        }
        return new ApplicationEndpoints.Row(target, previousSigns ? previousUntil : null);
    }

    private List<String> secrets(String id, String current, String previousStillSigning) {
        var opened = new ArrayList<String>(2);
        opened.add(secrets.open(current, StoredFields.endpointSecret(id)));
        if (previousStillSigning != null) {
            opened.add(secrets.open(previousStillSigning, StoredFields.endpointPreviousSecret(id)));
        }
        return opened;
    }

    private Map<String, String> headers(String id, String stored) {
        return stored == null ? Map.of() : json.readValue(secrets.open(stored, StoredFields.endpointHeaders(id)), STRING_MAP);
    }

    private EndpointTarget unusable(String id, String appId, String url, List<String> eventTypes, List<String> channels,
            Integer throttleRate, String problem) {
        if (reported.asMap().putIfAbsent(id, Boolean.TRUE) == null) {
            log.error("Nothing is sent to {} until this is fixed; its deliveries wait: {}", id, problem);
        }
        return new EndpointTarget(id, appId, url, eventTypes, channels, List.of(), throttleRate, Map.of(), problem);
    }

    private static List<String> list(String[] values) {
        return values == null ? List.of() : Arrays.asList(values);
    }
}
