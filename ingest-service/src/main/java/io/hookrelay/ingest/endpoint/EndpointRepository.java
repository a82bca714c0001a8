package io.hookrelay.ingest.endpoint;

import io.hookrelay.support.api.ApiException;
import io.hookrelay.ingest.api.JsonColumns;
import io.hookrelay.ingest.api.Page;
import io.hookrelay.support.secrets.SecretCipher;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
            + " disabled, throttle_rate, metadata, headers, secret, created_at, updated_at";

    private final DatabaseClient db;
    private final JsonColumns json;
    private final SecretCipher secrets;

    public EndpointRepository(DatabaseClient db, JsonColumns json, SecretCipher secrets) {
        this.db = db;
        this.json = json;
        this.secrets = secrets;
    }

    public Mono<Endpoint> insert(Endpoint endpoint) {
        return db.sql("insert into ingest.endpoint (" + COLUMNS + ") values (:id, :appId, :uid, :url, :description,"
                        + " :version, :eventTypes, :channels, :disabled, :throttleRate, :metadata, :headers, :secret,"
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
                .bind("headers", json.write(endpoint.headers()))
                .bind("secret", secrets.encrypt(endpoint.secret()))
                .bind("createdAt", endpoint.createdAt())
                .bind("updatedAt", endpoint.updatedAt())
                .then()
                .thenReturn(endpoint)
                .onErrorMap(DataIntegrityViolationException.class,
                        e -> ApiException.conflict("An endpoint with uid '" + endpoint.uid() + "' already exists"));
    }

    /** An endpoint of {@code appId} by id or uid. */
    public Mono<Endpoint> find(String appId, String idOrUid) {
        return db.sql("select " + COLUMNS + " from ingest.endpoint where app_id = :appId and (id = :ref or uid = :ref)"
                        + " limit 1")
                .bind("appId", appId)
                .bind("ref", idOrUid)
                .map(this::read)
                .one();
    }

    /** Like {@link #find} but a 404 when there is no such endpoint. */
    public Mono<Endpoint> require(String appId, String idOrUid) {
        return find(appId, idOrUid).switchIfEmpty(Mono.error(() -> ApiException.notFound("Endpoint")));
    }

    /** Replaces what an update may change: everything but the id, the app, the secret and the headers. */
    public Mono<Endpoint> update(Endpoint endpoint) {
        return db.sql("update ingest.endpoint set uid = :uid, url = :url, description = :description,"
                        + " version = :version, event_types = :eventTypes, channels = :channels, disabled = :disabled,"
                        + " throttle_rate = :throttleRate, metadata = :metadata, updated_at = :updatedAt"
                        + " where id = :id")
                .bind("id", endpoint.id())
                .bind("uid", Parameter.fromOrEmpty(endpoint.uid(), String.class))
                .bind("url", endpoint.url())
                .bind("description", endpoint.description())
                .bind("version", endpoint.version())
                .bind("eventTypes", Parameter.fromOrEmpty(toArray(endpoint.eventTypes()), String[].class))
                .bind("channels", Parameter.fromOrEmpty(toArray(endpoint.channels()), String[].class))
                .bind("disabled", endpoint.disabled())
                .bind("throttleRate", Parameter.fromOrEmpty(endpoint.throttleRate(), Integer.class))
                .bind("metadata", json.write(endpoint.metadata()))
                .bind("updatedAt", endpoint.updatedAt())
                .then()
                .thenReturn(endpoint)
                .onErrorMap(DataIntegrityViolationException.class,
                        e -> ApiException.conflict("An endpoint with uid '" + endpoint.uid() + "' already exists"));
    }

    public Mono<Void> updateHeaders(String id, Map<String, String> headers, Instant now) {
        return db.sql("update ingest.endpoint set headers = :headers, updated_at = :now where id = :id")
                .bind("id", id)
                .bind("headers", json.write(headers))
                .bind("now", now)
                .then();
    }

    /**
     * Makes {@code secret} current; the one it replaces keeps signing until {@code previousExpiresAt}
     * (delivery-service signs with both meanwhile).
     */
    public Mono<Void> rotateSecret(String id, String secret, Instant previousExpiresAt, Instant now) {
        return db.sql("update ingest.endpoint set previous_secret = secret,"
                        + " previous_secret_expires_at = :expiresAt, secret = :secret, updated_at = :now where id = :id")
                .bind("id", id)
                .bind("secret", secrets.encrypt(secret))
                .bind("expiresAt", previousExpiresAt)
                .bind("now", now)
                .then();
    }

    /** Removes the row itself: delivery-service fans out from this table, so a deleted endpoint must be gone. */
    public Mono<Void> delete(String id) {
        return db.sql("delete from ingest.endpoint where id = :id").bind("id", id).then();
    }

    public Flux<Endpoint> list(String appId, Page page) {
        String condition = page.condition("id");
        var spec = db.sql("select " + COLUMNS + " from ingest.endpoint where app_id = :appId"
                        + (condition == null ? "" : " and " + condition) + page.orderBy("id"))
                .bind("appId", appId);
        if (condition != null) {
            spec = spec.bind("cursor", page.cursor());
        }
        return spec.map(this::read).all();
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
                json.readMap(row, "headers"),
                secrets.decrypt(row.get("secret", String.class)),
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
