package io.hookrelay.gateway.auth;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code gateway.api_token}: tokens by digest, organisation and application tokens by id. */
@Repository
class TokenStore {

    private static final String COLUMNS =
            "id, kind, name, app_id, app_uid, read_only, created_at, expires_at, revoked_at";

    private final DatabaseClient db;

    TokenStore(DatabaseClient db) {
        this.db = db;
    }

    Mono<ApiToken> insert(ApiToken token, byte[] digest) {
        return db.sql("insert into gateway.api_token (id, secret_hash, kind, name, app_id, app_uid, read_only, expires_at)"
                        + " values (:id, :hash, :kind, :name, :appId, :appUid, :readOnly, :expiresAt)"
                        + " returning " + COLUMNS)
                .bind("id", token.id())
                .bind("hash", digest)
                .bind("kind", token.kind())
                .bind("name", Parameter.fromOrEmpty(token.name(), String.class))
                .bind("appId", Parameter.fromOrEmpty(token.appId(), String.class))
                .bind("appUid", Parameter.fromOrEmpty(token.appUid(), String.class))
                .bind("readOnly", token.readOnly())
                .bind("expiresAt", Parameter.fromOrEmpty(
                        token.expiresAt() == null ? null : token.expiresAt().atOffset(ZoneOffset.UTC),
                        OffsetDateTime.class))
                .map(TokenStore::token)
                .one();
    }

    Mono<ApiToken> findByDigest(byte[] digest) {
        return db.sql("select " + COLUMNS + " from gateway.api_token where secret_hash = :hash")
                .bind("hash", digest)
                .map(TokenStore::token)
                .one();
    }

    Mono<ApiToken> findOrgToken(String id) {
        return db.sql("select " + COLUMNS + " from gateway.api_token where id = :id and kind = 'org'")
                .bind("id", id)
                .map(TokenStore::token)
                .one();
    }

    /** Organisation tokens after {@code iterator} in id (creation) order, {@code limit} of them. */
    Flux<ApiToken> listOrgTokens(String iterator, int limit) {
        return db.sql("select " + COLUMNS + " from gateway.api_token where kind = 'org' and id > :after"
                        + " order by id collate \"C\" limit :limit")
                .bind("after", iterator == null ? "" : iterator)
                .bind("limit", limit)
                .map(TokenStore::token)
                .all();
    }

    Mono<ApiToken> findAppToken(String id) {
        return db.sql("select " + COLUMNS + " from gateway.api_token where id = :id and kind = 'app'")
                .bind("id", id)
                .map(TokenStore::token)
                .one();
    }

    /**
     * Application tokens still usable (neither revoked nor expired), of the application named by id
     * or uid (every application when null), after {@code iterator} in id (creation) order.
     */
    Flux<ApiToken> listLiveAppTokens(String application, String iterator, int limit) {
        var query = db.sql("select " + COLUMNS + " from gateway.api_token where kind = 'app' and id > :after"
                        + " and revoked_at is null and (expires_at is null or expires_at > now())"
                        + (application == null ? "" : " and (app_id = :app or app_uid = :app)")
                        + " order by id collate \"C\" limit :limit")
                .bind("after", iterator == null ? "" : iterator)
                .bind("limit", limit);
        return (application == null ? query : query.bind("app", application))
                .map(TokenStore::token)
                .all();
    }

    /** Marks the token revoked; true if it was usable until now. */
    Mono<Boolean> revoke(String id) {
        return db.sql("update gateway.api_token set revoked_at = now() where id = :id and revoked_at is null")
                .bind("id", id)
                .fetch()
                .rowsUpdated()
                .map(rows -> rows > 0);
    }

    private static ApiToken token(Readable row) {
        return new ApiToken(
                row.get("id", String.class),
                row.get("kind", String.class),
                row.get("name", String.class),
                row.get("app_id", String.class),
                row.get("app_uid", String.class),
                Boolean.TRUE.equals(row.get("read_only", Boolean.class)),
                instant(row.get("created_at", OffsetDateTime.class)),
                instant(row.get("expires_at", OffsetDateTime.class)),
                instant(row.get("revoked_at", OffsetDateTime.class)));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
