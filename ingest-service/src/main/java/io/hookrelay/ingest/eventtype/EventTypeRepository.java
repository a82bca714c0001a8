package io.hookrelay.ingest.eventtype;

import io.hookrelay.ingest.api.JsonColumns;
import io.hookrelay.ingest.api.Page;
import io.hookrelay.support.api.ApiException;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Map;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Event types in PostgreSQL (schema {@code ingest}), keyed by name. */
@Repository
class EventTypeRepository {

    private static final String COLUMNS =
            "name, description, archived, deprecated, feature_flag, schemas, created_at, updated_at";

    private final DatabaseClient db;
    private final JsonColumns json;

    EventTypeRepository(DatabaseClient db, JsonColumns json) {
        this.db = db;
        this.json = json;
    }

    Mono<EventType> insert(EventType type) {
        return db.sql("insert into ingest.event_type (" + COLUMNS + ") values (:name, :description, :archived,"
                        + " :deprecated, :featureFlag, :schemas, :createdAt, :updatedAt)")
                .bindValues(Map.of(
                        "name", type.name(),
                        "description", type.description(),
                        "archived", type.archived(),
                        "deprecated", type.deprecated(),
                        "featureFlag", Parameter.fromOrEmpty(type.featureFlag(), String.class),
                        "schemas", Parameter.fromOrEmpty(
                                type.schemas() == null ? null : json.writeTree(type.schemas()), Json.class),
                        "createdAt", type.createdAt(),
                        "updatedAt", type.updatedAt()))
                .then()
                .thenReturn(type)
                .onErrorMap(DataIntegrityViolationException.class,
                        e -> ApiException.conflict("An event type named '" + type.name() + "' already exists"));
    }

    Mono<EventType> update(EventType type) {
        return db.sql("update ingest.event_type set description = :description, archived = :archived,"
                        + " deprecated = :deprecated, feature_flag = :featureFlag, schemas = :schemas,"
                        + " updated_at = :updatedAt where name = :name")
                .bindValues(Map.of(
                        "name", type.name(),
                        "description", type.description(),
                        "archived", type.archived(),
                        "deprecated", type.deprecated(),
                        "featureFlag", Parameter.fromOrEmpty(type.featureFlag(), String.class),
                        "schemas", Parameter.fromOrEmpty(
                                type.schemas() == null ? null : json.writeTree(type.schemas()), Json.class),
                        "updatedAt", type.updatedAt()))
                .then()
                .thenReturn(type);
    }

    Mono<EventType> find(String name) {
        return db.sql("select " + COLUMNS + " from ingest.event_type where name = :name")
                .bind("name", name)
                .map(this::read)
                .one();
    }

    Mono<Void> archive(String name, Instant now) {
        return db.sql("update ingest.event_type set archived = true, updated_at = :now where name = :name")
                .bind("name", name)
                .bind("now", now)
                .then();
    }

    Mono<Void> expunge(String name) {
        return db.sql("delete from ingest.event_type where name = :name").bind("name", name).then();
    }

    Flux<EventType> list(Page page, boolean includeArchived) {
        String condition = page.condition("name");
        String where = includeArchived ? "" : " where not archived";
        if (condition != null) {
            where = where.isEmpty() ? " where " + condition : where + " and " + condition;
        }
        var spec = db.sql("select " + COLUMNS + " from ingest.event_type" + where + page.orderBy("name"));
        if (condition != null) {
            spec = spec.bind("cursor", page.cursor());
        }
        return spec.map(this::read).all();
    }

    private EventType read(Readable row) {
        return new EventType(
                row.get("name", String.class),
                row.get("description", String.class),
                Boolean.TRUE.equals(row.get("archived", Boolean.class)),
                Boolean.TRUE.equals(row.get("deprecated", Boolean.class)),
                row.get("feature_flag", String.class),
                json.readTree(row, "schemas"),
                row.get("created_at", Instant.class),
                row.get("updated_at", Instant.class));
    }
}
