package io.hookrelay.delivery.dispatch;

import io.r2dbc.spi.Readable;
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

    private final DatabaseClient db;

    EndpointDirectory(DatabaseClient db) {
        this.db = db;
    }

    Flux<EndpointTarget> enabledEndpoints(String appId) {
        return db.sql("select id, app_id, url, event_types, channels, secret, throttle_rate from ingest.endpoint"
                        + " where app_id = :appId and not disabled order by id")
                .bind("appId", appId)
                .map(EndpointDirectory::read)
                .all();
    }

    /** One enabled endpoint, for a retry; empty when it was disabled or deleted since. */
    reactor.core.publisher.Mono<EndpointTarget> enabledEndpoint(String appId, String endpointId) {
        return db.sql("select id, app_id, url, event_types, channels, secret, throttle_rate from ingest.endpoint"
                        + " where app_id = :appId and id = :id and not disabled")
                .bind("appId", appId)
                .bind("id", endpointId)
                .map(EndpointDirectory::read)
                .one();
    }

    private static EndpointTarget read(Readable row) {
        return new EndpointTarget(
                row.get("id", String.class),
                row.get("app_id", String.class),
                row.get("url", String.class),
                list(row.get("event_types", String[].class)),
                list(row.get("channels", String[].class)),
                row.get("secret", String.class),
                row.get("throttle_rate", Integer.class));
    }

    private static List<String> list(String[] values) {
        return values == null ? List.of() : Arrays.asList(values);
    }
}
