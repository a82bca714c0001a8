package io.hookrelay.ingest.application;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.hookrelay.support.api.ApiException;
import io.hookrelay.ingest.api.JsonColumns;
import io.hookrelay.ingest.api.Page;
import io.hookrelay.ingest.groupcommit.GroupCommit;
import io.hookrelay.ingest.groupcommit.GroupCommitProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import io.hookrelay.support.security.CallerScope;
import reactor.core.publisher.Mono;

/** Applications in PostgreSQL (schema {@code ingest}). */
@Repository
public class ApplicationRepository {

    private static final String COLUMNS = "id, uid, name, metadata, throttle_rate, created_at, updated_at";

    private final DatabaseClient db;
    private final JsonColumns json;
    private final GroupCommit<String, Application> sharedLookups;
    /** Bounded: an id not in it costs one (shared) lookup. */
    private final Cache<String, Boolean> knownIds = Caffeine.newBuilder().maximumSize(100_000).build();

    public ApplicationRepository(DatabaseClient db, JsonColumns json, GroupCommitProperties groupCommit, MeterRegistry meters) {
        this.db = db;
        this.json = json;
        this.sharedLookups = new GroupCommit<>("application-lookup", groupCommit, GroupCommit.Overload.REFUSE, meters, this::findAll, this::findUnscoped);
    }

    public Mono<Application> insert(Application application) {
        return db.sql("insert into ingest.application (" + COLUMNS + ")"
                        + " values (:id, :uid, :name, :metadata, :throttleRate, :createdAt, :updatedAt)")
                .bind("id", application.id())
                .bind("uid", Parameter.fromOrEmpty(application.uid(), String.class))
                .bind("name", application.name())
                .bind("metadata", json.write(application.metadata()))
                .bind("throttleRate", Parameter.fromOrEmpty(application.throttleRate(), Integer.class))
                .bind("createdAt", application.createdAt())
                .bind("updatedAt", application.updatedAt())
                .then()
                .thenReturn(application)
                .onErrorMap(DataIntegrityViolationException.class,
                        e -> ApiException.conflict("An application with uid '" + application.uid() + "' already exists"));
    }

    /**
     * Inserts the application unless one already has its uid, and returns the one that now has
     * it: two messages that create the same application at once both succeed with one
     * application. Does not abort the surrounding transaction on that conflict.
     */
    public Mono<Application> insertUnlessUidTaken(Application application) {
        return db.sql("insert into ingest.application (" + COLUMNS + ")"
                        + " values (:id, :uid, :name, :metadata, :throttleRate, :createdAt, :updatedAt)"
                        + " on conflict (uid) do nothing")
                .bind("id", application.id())
                .bind("uid", application.uid())
                .bind("name", application.name())
                .bind("metadata", json.write(application.metadata()))
                .bind("throttleRate", Parameter.fromOrEmpty(application.throttleRate(), Integer.class))
                .bind("createdAt", application.createdAt())
                .bind("updatedAt", application.updatedAt())
                .fetch()
                .rowsUpdated()
                .flatMap(inserted -> inserted > 0 ? Mono.just(application) : find(application.uid()));
    }

    /**
     * By id or by uid, as Svix accepts either wherever an application is named (an id wins over a
     * uid that happens to equal it); an application the caller's scope does not cover is a 404
     * ({@link CallerScope}).
     */
    public Mono<Application> find(String idOrUid) {
        return db.sql("select " + COLUMNS + " from ingest.application where id = :ref or uid = :ref"
                        + " order by (id = :ref) desc limit 1")
                .bind("ref", idOrUid)
                .map(this::read)
                .one()
                .flatMap(app -> CallerScope.permit(app.id()).thenReturn(app));
    }

    /**
     * {@link #find} for the accept path: concurrent lookups share one query (ADR 0012), as every
     * message names its application and most name the same few.
     */
    public Mono<Application> findShared(String idOrUid) {
        return sharedLookups.submit(idOrUid).flatMap(app -> CallerScope.permit(app.id()).thenReturn(app));
    }

    /**
     * The id of the application a message names, for the accept path: a reference that was an
     * application's exact id before is answered from memory (ids are never reused or changed;
     * uids may be, so they are always looked up). The application may have been deleted since, by
     * another replica: the message's insert then fails on its foreign key, which the accept
     * answers 404 as if looked up ({@link #forget}).
     */
    public Mono<String> findIdShared(String idOrUid) {
        if (knownIds.getIfPresent(idOrUid) != null) {
            return CallerScope.permit(idOrUid);
        }
        return findShared(idOrUid).map(app -> {
            if (app.id().equals(idOrUid)) {
                knownIds.put(idOrUid, Boolean.TRUE);
            }
            return app.id();
        });
    }

    /** Forgets an id answered from memory whose application turned out to be gone. */
    public void forget(String id) {
        knownIds.invalidate(id);
    }

    private Mono<Application> findUnscoped(String idOrUid) {
        return db.sql("select " + COLUMNS + " from ingest.application where id = :ref or uid = :ref"
                        + " order by (id = :ref) desc limit 1")
                .bind("ref", idOrUid)
                .map(this::read)
                .one();
    }

    /** One application (or null) per reference, in their order; an exact id wins over a uid, as in {@link #find}. */
    private Mono<List<Application>> findAll(List<String> refs) {
        String[] distinct = refs.stream().distinct().toArray(String[]::new);
        return db.sql("select " + COLUMNS + " from ingest.application where id = any($1) or uid = any($1)")
                .bind(0, distinct)
                .map(this::read)
                .all()
                .collectList()
                .map(found -> {
                    var byId = new HashMap<String, Application>();
                    var byUid = new HashMap<String, Application>();
                    for (Application app : found) {
                        byId.put(app.id(), app);
                        if (app.uid() != null) {
                            byUid.put(app.uid(), app);
                        }
                    }
                    var results = new ArrayList<Application>(refs.size());
                    for (String ref : refs) {
                        Application app = byId.get(ref);
                        results.add(app != null ? app : byUid.get(ref)); // null: none, the caller's lookup completes empty
                    }
                    return results;
                });
    }

    /** Like {@link #find} but a 404 when there is no such application. */
    public Mono<Application> require(String idOrUid) {
        return find(idOrUid).switchIfEmpty(Mono.error(() -> ApiException.notFound("Application")));
    }

    /** Replaces the mutable fields of an existing application (by id). */
    public Mono<Application> update(Application application) {
        return db.sql("update ingest.application set uid = :uid, name = :name, metadata = :metadata,"
                        + " throttle_rate = :throttleRate, updated_at = :updatedAt where id = :id")
                .bind("id", application.id())
                .bind("uid", Parameter.fromOrEmpty(application.uid(), String.class))
                .bind("name", application.name())
                .bind("metadata", json.write(application.metadata()))
                .bind("throttleRate", Parameter.fromOrEmpty(application.throttleRate(), Integer.class))
                .bind("updatedAt", application.updatedAt())
                .then()
                .thenReturn(application)
                .onErrorMap(DataIntegrityViolationException.class,
                        e -> ApiException.conflict("An application with uid '" + application.uid() + "' already exists"));
    }

    /** Deletes the application; its endpoints and messages go with it (foreign keys cascade). */
    public Mono<Void> delete(String id) {
        return db.sql("delete from ingest.application where id = :id").bind("id", id).then()
                .doOnSuccess(deleted -> forget(id));
    }

    /** One page of applications in id (= creation) order; one row more than the page size. */
    public Flux<Application> list(Page page) {
        String condition = page.condition("id");
        var spec = db.sql("select " + COLUMNS + " from ingest.application"
                + (condition == null ? "" : " where " + condition) + page.orderBy("id"));
        if (condition != null) {
            spec = spec.bind("cursor", page.cursor());
        }
        return spec.map(this::read).all();
    }

    private Application read(Readable row) {
        return new Application(
                row.get("id", String.class),
                row.get("uid", String.class),
                row.get("name", String.class),
                json.readMap(row, "metadata"),
                row.get("throttle_rate", Integer.class),
                row.get("created_at", Instant.class),
                row.get("updated_at", Instant.class));
    }
}
