package io.hookrelay.ingest.endpoint;

import io.hookrelay.support.api.ApiException;
import io.hookrelay.ingest.api.JsonColumns;
import io.hookrelay.ingest.api.Page;
import io.hookrelay.support.secrets.SecretCipher;
import io.hookrelay.support.secrets.StoredFields;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Endpoints in PostgreSQL (schema {@code ingest}); delivery-service reads the same table. The
 * signing secret and the custom headers are stored encrypted, each bound to its endpoint and
 * column ({@link StoredFields}), and read only by the operations that need them.
 */
@Repository
public class EndpointRepository {

    private static final String COLUMNS = "id, app_id, uid, url, description, version, event_types, channels,"
            + " disabled, throttle_rate, metadata, created_at, updated_at";
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

    private final DatabaseClient db;
    private final JsonColumns json;
    private final JsonMapper mapper;
    private final SecretCipher secrets;

    public EndpointRepository(DatabaseClient db, JsonColumns json, JsonMapper mapper, SecretCipher secrets) {
        this.db = db;
        this.json = json;
        this.mapper = mapper;
        this.secrets = secrets;
    }

    /** A new endpoint with its signing secret and no custom headers. */
    public Mono<Endpoint> insert(Endpoint endpoint, String secret) {
        return db.sql("insert into ingest.endpoint (" + COLUMNS + ", secret) values (:id, :appId, :uid, :url,"
                        + " :description, :version, :eventTypes, :channels, :disabled, :throttleRate, :metadata,"
                        + " :createdAt, :updatedAt, :secret)")
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
                .bind("secret", secrets.seal(secret, StoredFields.endpointSecret(endpoint.id())))
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

    /** Replaces what an update may change: everything but the id, the app and the credentials. */
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

    /** The endpoint's custom headers; none is an empty map. */
    public Mono<Map<String, String>> headers(String id) {
        return db.sql("select headers from ingest.endpoint where id = :id")
                .bind("id", id)
                .map(row -> Optional.ofNullable(row.get("headers", String.class)))
                .one()
                .map(stored -> stored
                        .map(text -> mapper.readValue(secrets.open(text, StoredFields.endpointHeaders(id)), STRING_MAP))
                        .orElseGet(Map::of));
    }

    public Mono<Void> updateHeaders(String id, Map<String, String> headers, Instant now) {
        String stored = headers.isEmpty()
                ? null
                : secrets.seal(mapper.writeValueAsString(headers), StoredFields.endpointHeaders(id));
        return db.sql("update ingest.endpoint set headers = :headers, updated_at = :now where id = :id")
                .bind("id", id)
                .bind("headers", Parameter.fromOrEmpty(stored, String.class))
                .bind("now", now)
                .then();
    }

    /** The endpoint's current signing secret, {@code whsec_<base64>}. */
    public Mono<String> secret(String id) {
        return storedSecret(id).map(stored -> secrets.open(stored, StoredFields.endpointSecret(id)));
    }

    /**
     * Makes {@code secret} current; the one it replaces keeps signing until {@code previousExpiresAt}
     * (delivery-service signs with both meanwhile). The replaced secret is sealed again for its new
     * column: a value is bound to the column it is stored in, so that nobody can move an old
     * secret back into {@code secret}. The update applies only if the secret is still the one
     * read, so two rotations at once cannot lose one; the second gets a 409.
     */
    public Mono<Void> rotateSecret(String id, String secret, Instant previousExpiresAt, Instant now) {
        return storedSecret(id).flatMap(current -> db.sql("update ingest.endpoint set"
                                + " previous_secret = :previous, previous_secret_expires_at = :expiresAt,"
                                + " secret = :secret, updated_at = :now where id = :id and secret = :current")
                        .bind("id", id)
                        .bind("current", current)
                        .bind("previous", secrets.seal(
                                secrets.open(current, StoredFields.endpointSecret(id)), StoredFields.endpointPreviousSecret(id)))
                        .bind("secret", secrets.seal(secret, StoredFields.endpointSecret(id)))
                        .bind("expiresAt", previousExpiresAt)
                        .bind("now", now)
                        .fetch()
                        .rowsUpdated())
                .flatMap(updated -> updated == 1
                        ? Mono.<Void>empty()
                        : Mono.error(new ApiException(HttpStatus.CONFLICT, "conflict",
                                "The secret was rotated by another request at the same time; try again")));
    }

    private Mono<String> storedSecret(String id) {
        return db.sql("select secret from ingest.endpoint where id = :id")
                .bind("id", id)
                .map(row -> row.get("secret", String.class))
                .one()
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("Endpoint")));
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
