package io.hookrelay.ingest.endpoint;

import io.hookrelay.support.api.ApiException;
import io.hookrelay.ingest.api.JsonColumns;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Endpoints in PostgreSQL (schema {@code ingest}); delivery-service reads the same table. */
@Repository
public class EndpointRepository {

    private static final String COLUMNS = "id, app_id, uid, url, description, version, event_types, channels,"
            + " disabled, throttle_rate, metadata, secret, created_at, updated_at";

    private final DatabaseClient db;
    private final JsonColumns json;

    public EndpointRepository(DatabaseClient db, JsonColumns json) {
        this.db = db;
        this.json = json;
    }

    public Mono<Endpoint> insert(Endpoint endpoint) {
        return db.sql("insert into ingest.endpoint (" + COLUMNS + ") values (:id, :appId, :uid, :url, :description,"
                        + " :version, :eventTypes, :channels, :disabled, :throttleRate, :metadata, :secret,"
                        + " :createdAt, :updatedAt)")
                .bind("id", endpoint.id())
                .bind("appId", endpoint.appId())
                .bind("uid", Parameter.fromOrEmpty(endpoint.uid(), String.class))
                .bind("url", endpoint.url())
                .bind("description", endpoint.description())
                .bind("version", endpoint.version())
                .bind("eventTypes", Parameter.fromOrEmpty(toArray(endpoint.eventTypes()), String[].class))
                .bind("channels", Parameter.fromOrEmpty(toArray(endpoint.channels()), String[].class))
                .bind("disabled", endpoint.disabled())
                .bind("throttleRate", Parameter.fromOrEmpty(endpoint.throttleRate(), Integer.class))
                .bind("metadata", json.write(endpoint.metadata()))
                .bind("secret", endpoint.secret())
                .bind("createdAt", endpoint.createdAt())
                .bind("updatedAt", endpoint.updatedAt())
                .then()
                .thenReturn(endpoint)
                .onErrorMap(DataIntegrityViolationException.class,
                        e -> ApiException.conflict("An endpoint with uid '" + endpoint.uid() + "' already exists"));
    }

    /** An endpoint of {@code appId} by id or uid, or a 404. */
    public Mono<Endpoint> require(String appId, String idOrUid) {
        return db.sql("select " + COLUMNS + " from ingest.endpoint where app_id = :appId and (id = :ref or uid = :ref)")
                .bind("appId", appId)
                .bind("ref", idOrUid)
                .map(this::read)
                .one()
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("Endpoint")));
    }

    public Flux<Endpoint> list(String appId, String iterator, int limit) {
        return db.sql("select " + COLUMNS + " from ingest.endpoint where app_id = :appId and id > :after"
                        + " order by id limit :limit")
                .bind("appId", appId)
                .bind("after", iterator == null ? "" : iterator)
                .bind("limit", limit + 1)
                .map(this::read)
                .all();
    }

    private Endpoint read(Readable row) {
        return new Endpoint(
                row.get("id", String.class),
                row.get("app_id", String.class),
                row.get("uid", String.class),
                row.get("url", String.class),
                row.get("description", String.class),
                row.get("version", Integer.class),
                toList(row.get("event_types", String[].class)),
                toList(row.get("channels", String[].class)),
                Boolean.TRUE.equals(row.get("disabled", Boolean.class)),
                row.get("throttle_rate", Integer.class),
                json.readMap(row, "metadata"),
                row.get("secret", String.class),
                row.get("created_at", Instant.class),
                row.get("updated_at", Instant.class));
    }

    private static String[] toArray(List<String> values) {
        return values == null ? null : values.toArray(String[]::new);
    }

    private static List<String> toList(String[] values) {
        return values == null ? null : Arrays.asList(values);
    }
}
