package io.hookrelay.ingest.idempotency;

import io.hookrelay.ingest.groupcommit.GroupCommit;
import io.hookrelay.ingest.groupcommit.GroupCommitProperties;
import io.hookrelay.ingest.groupcommit.JoinedText;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * First responses to POSTs carrying an {@code idempotency-key}, in {@code ingest.idempotency_key}.
 * Claims and recorded responses of concurrent requests share transactions (ADR 0012): Svix SDKs
 * send a key with every POST, so each accepted message costs a claim and a record.
 */
@Repository
class IdempotencyStore {

    // Batches bind one array per column, so each statement's text is the same whatever the batch
    // size; the bodies (JSON) joined into one text (JoinedText).
    private static final String CLAIM_ALL = "insert into ingest.idempotency_key (key, created_at)"
            + " select * from unnest($1::text[], $2::timestamptz[])"
            + " on conflict (key) do update set response_status = null, content_type = null,"
            + " response_body = null, created_at = excluded.created_at"
            + " where ingest.idempotency_key.created_at < $3"
            + " or (ingest.idempotency_key.response_status is null and ingest.idempotency_key.created_at < $4)"
            + " returning key";
    private static final String RECORD_ALL = "update ingest.idempotency_key k set response_status = v.status,"
            + " content_type = v.content_type, response_body = convert_to(v.body, 'UTF8')"
            + " from unnest($1::text[], $2::int[], $3::text[], " + JoinedText.split(4) + ") as v (key, status, content_type, body)"
            + " where k.key = v.key";

    /** A recorded response; {@code status} is null while the first request is still running. */
    record Recorded(Integer status, String contentType, byte[] body) {
        boolean inProgress() {
            return status == null;
        }
    }

    private record Claim(String key, Instant now, Instant expiredBefore, Instant abandonedBefore) {}

    private record Response(String key, int status, String contentType, byte[] body) {}

    private final DatabaseClient db;
    private final GroupCommit<Claim, Boolean> claims;
    private final GroupCommit<Response, Boolean> responses;

    IdempotencyStore(DatabaseClient db, GroupCommitProperties groupCommit, MeterRegistry meters) {
        this.db = db;
        this.claims = new GroupCommit<>("idempotency-claim", groupCommit, GroupCommit.Overload.REFUSE, meters, this::claimAll, this::claimOne);
        this.responses = new GroupCommit<>("idempotency-record", groupCommit, GroupCommit.Overload.QUEUE, meters, this::recordAll,
                response -> recordOne(response).thenReturn(Boolean.TRUE));
    }

    /**
     * Takes the key for this request: true when it is new, expired (older than {@code expiredBefore})
     * or abandoned (still in progress since before {@code abandonedBefore}, e.g. its process died).
     * The primary key makes exactly one of several concurrent requests win.
     */
    Mono<Boolean> claim(String key, Instant now, Instant expiredBefore, Instant abandonedBefore) {
        return claims.submit(new Claim(key, now, expiredBefore, abandonedBefore));
    }

    private Mono<Boolean> claimOne(Claim claim) {
        String key = claim.key();
        Instant now = claim.now();
        Instant expiredBefore = claim.expiredBefore();
        Instant abandonedBefore = claim.abandonedBefore();
        return db.sql("insert into ingest.idempotency_key (key, created_at) values (:key, :now)"
                        + " on conflict (key) do update set response_status = null, content_type = null,"
                        + " response_body = null, created_at = excluded.created_at"
                        + " where ingest.idempotency_key.created_at < :expiredBefore"
                        + " or (ingest.idempotency_key.response_status is null"
                        + " and ingest.idempotency_key.created_at < :abandonedBefore)"
                        + " returning key")
                .bind("key", key)
                .bind("now", now)
                .bind("expiredBefore", expiredBefore)
                .bind("abandonedBefore", abandonedBefore)
                .map(row -> row.get("key", String.class))
                .one()
                .hasElement();
    }

    /**
     * One statement for many claims. A key twice in the batch is claimed at most by its first
     * request (PostgreSQL refuses to update a row twice in one statement); the others see it taken
     * and wait for that one, as they would have one by one. The expiry bounds are the first claim's:
     * the claims of one batch are a few milliseconds apart.
     */
    private Mono<List<Boolean>> claimAll(List<Claim> batch) {
        var distinct = new ArrayList<Claim>();
        var seen = new HashSet<String>();
        for (Claim claim : batch) {
            if (seen.add(claim.key())) {
                distinct.add(claim);
            }
        }
        var keys = new String[distinct.size()];
        var createdAt = new Instant[distinct.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = distinct.get(i).key();
            createdAt[i] = distinct.get(i).now();
        }
        var spec = db.sql(CLAIM_ALL).bindValues(
                List.of(keys, createdAt, batch.getFirst().expiredBefore(), batch.getFirst().abandonedBefore()));
        return spec.map(row -> row.get("key", String.class))
                .all()
                .collect(HashSet<String>::new, HashSet::add)
                .map(claimed -> {
                    var results = new ArrayList<Boolean>(batch.size());
                    var firsts = new LinkedHashSet<String>();
                    for (Claim claim : batch) {
                        results.add(firsts.add(claim.key()) && claimed.contains(claim.key()));
                    }
                    return results;
                });
    }

    Mono<Recorded> find(String key) {
        return db.sql("select response_status, content_type, response_body from ingest.idempotency_key where key = :key")
                .bind("key", key)
                .map(row -> new Recorded(
                        row.get("response_status", Integer.class),
                        row.get("content_type", String.class),
                        bytes(row.get("response_body", ByteBuffer.class))))
                .one();
    }

    Mono<Void> record(String key, int status, String contentType, byte[] body) {
        return responses.submit(new Response(key, status, contentType, body)).then();
    }

    private Mono<List<Boolean>> recordAll(List<Response> batch) {
        int size = batch.size();
        var keys = new String[size];
        var statuses = new Integer[size];
        var contentTypes = new String[size];
        for (int i = 0; i < size; i++) {
            Response response = batch.get(i);
            keys[i] = response.key();
            statuses[i] = response.status();
            contentTypes[i] = response.contentType();
        }
        var spec = db.sql(RECORD_ALL)
                .bindValues(List.of(keys, statuses, contentTypes, JoinedText.ofUtf8(batch, Response::body)));
        return spec.then().thenReturn(Collections.nCopies(batch.size(), Boolean.TRUE));
    }

    private Mono<Void> recordOne(Response response) {
        String key = response.key();
        int status = response.status();
        String contentType = response.contentType();
        byte[] body = response.body();
        return db.sql("update ingest.idempotency_key set response_status = :status, content_type = :contentType,"
                        + " response_body = :body where key = :key")
                .bind("key", key)
                .bind("status", status)
                .bind("contentType", Parameter.fromOrEmpty(contentType, String.class))
                .bind("body", body)
                .then();
    }

    /** Forgets the key, so a retry runs the request again (after a failure that must not be replayed). */
    Mono<Void> release(String key) {
        return db.sql("delete from ingest.idempotency_key where key = :key and response_status is null")
                .bind("key", key)
                .then();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return new byte[0];
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
