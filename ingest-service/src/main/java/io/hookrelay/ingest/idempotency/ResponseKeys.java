package io.hookrelay.ingest.idempotency;

import io.hookrelay.ingest.groupcommit.JoinedText;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Idempotency keys claimed in the caller's transaction, with the response already recorded
 * (ADR 0029): for message creation, the hot path, where the filter's own claim and record cost two
 * more round trips and two more commits per request. The filter hands the request's scoped key
 * over in an exchange attribute ({@link #scope}); the handler claims it beside its own rows. A key
 * already taken (and not expired or abandoned) is not claimed: the caller then raises
 * {@link IdempotencyKeyTaken} in its transaction and the filter replays the first response.
 * Nothing is recorded when the transaction fails, so a retry runs afresh, as with the filter.
 */
@Repository
public class ResponseKeys {

    static final String SCOPE = ResponseKeys.class.getName() + ".scope";

    private static final String CLAIM_ALL = "insert into ingest.idempotency_key"
            + " (key, created_at, response_status, content_type, response_body)"
            + " select v.key, $2, v.status, v.content_type, convert_to(v.body, 'UTF8')"
            + " from unnest($1::text[], $3::int[], $4::text[], " + JoinedText.split(5) + ") as v (key, status, content_type, body)"
            + onConflict(6, 7) + " returning key";

    private final DatabaseClient db;
    private final IdempotencyProperties properties;
    private final Clock clock;

    ResponseKeys(DatabaseClient db, IdempotencyProperties properties, Clock clock) {
        this.db = db;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * The rule of a claim for an insert into {@code ingest.idempotency_key}: a key that exists is
     * taken over only once its window has passed (created before parameter {@code $expiredBefore},
     * {@link #expiredBefore}) or its first request left it without a response (before
     * {@code $abandonedBefore}, {@link #abandonedBefore}); otherwise the row is not returned.
     */
    public static String onConflict(int expiredBefore, int abandonedBefore) {
        return " on conflict (key) do update set response_status = excluded.response_status,"
                + " content_type = excluded.content_type, response_body = excluded.response_body,"
                + " created_at = excluded.created_at"
                + " where ingest.idempotency_key.created_at < $" + expiredBefore
                + " or (ingest.idempotency_key.response_status is null and ingest.idempotency_key.created_at < $"
                + abandonedBefore + ")";
    }

    public Instant expiredBefore(Instant now) {
        return now.minus(properties.window());
    }

    public Instant abandonedBefore(Instant now) {
        return now.minus(properties.abandonedAfter());
    }

    /** The scoped key the filter handed over for this request to claim in its transaction; null: none. */
    public static String scope(ServerWebExchange exchange) {
        return exchange.getAttribute(SCOPE);
    }

    /**
     * Claims the keys and records their responses, in the current transaction: the scopes claimed.
     * A key twice in the list is claimed for its first response only. Keys are written in sorted
     * order, so two transactions claiming overlapping keys wait for each other instead of
     * deadlocking. Throws {@link IllegalArgumentException} for a body that cannot be joined
     * ({@link JoinedText}); a group commit then runs its items one by one.
     */
    public Mono<Set<String>> claimAll(Collection<KeyedResponse> responses) {
        var byScope = new LinkedHashMap<String, KeyedResponse>();
        for (KeyedResponse response : responses) {
            byScope.putIfAbsent(response.scope(), response);
        }
        var distinct = new ArrayList<>(byScope.values());
        distinct.sort(Comparator.comparing(KeyedResponse::scope));
        int size = distinct.size();
        var scopes = new String[size];
        var statuses = new Integer[size];
        var contentTypes = new String[size];
        for (int i = 0; i < size; i++) {
            scopes[i] = distinct.get(i).scope();
            statuses[i] = distinct.get(i).status();
            contentTypes[i] = distinct.get(i).contentType();
        }
        Instant now = clock.instant();
        return db.sql(CLAIM_ALL)
                .bindValues(List.of(scopes, now, statuses, contentTypes, JoinedText.ofUtf8(distinct, KeyedResponse::body),
                        expiredBefore(now), abandonedBefore(now)))
                .map(row -> row.get("key", String.class))
                .all()
                .collect(Collectors.toSet());
    }

    /** Forgets keys claimed in the current transaction whose work turned out to be a no-op to record. */
    public Mono<Void> forget(Collection<String> scopes) {
        if (scopes.isEmpty()) {
            return Mono.empty();
        }
        return db.sql("delete from ingest.idempotency_key where key = any(:keys)")
                .bind("keys", scopes.toArray(String[]::new))
                .then();
    }
}
