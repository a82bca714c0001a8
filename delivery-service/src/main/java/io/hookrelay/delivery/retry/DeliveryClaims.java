package io.hookrelay.delivery.retry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;

/**
 * Records that messages are owed to endpoints, claims of many messages at once: the claims that
 * arrive within {@code max-delay} of each other (every record of a Kafka poll is handed to the
 * listener at once) go to PostgreSQL as one multi-row insert, one commit for all of them. One
 * statement and commit per record made the commit latency, times the records of a poll, the
 * bound on how fast messages could be consumed (ADR 0013).
 *
 * <p>Each caller's {@link Mono} completes only once the statement holding its rows has committed,
 * with the endpoints whose rows it created; a row that exists already (the same record consumed
 * twice, before or within the same batch) is not the caller's, exactly as with one statement per
 * record. Nor is a delivery that has a scheduled attempt on record and no row any more: it was
 * delivered, or given up on, before the record came again (Kafka hands a consumer group everything
 * since its last committed offset after a crash or after the broker expelled the consumer; ADR
 * 0045), or while the claim ran ({@link #ENDED_MEANWHILE}). A person's resend is no such attempt: one made before the record was first consumed
 * leaves the scheduled chain to start. If the statement fails, no row of the batch was written (one statement, one
 * transaction) and every caller in it gets the error and tries again.
 */
@Component
public class DeliveryClaims implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeliveryClaims.class);

    private static final String CLAIM = "insert into delivery.pending_delivery (msg_id, endpoint_id, app_id, attempts,"
            + " state, due_at, last_outcome, last_reason, updated_at, claimed_at, claimed_by) select msg_id, endpoint_id,"
            + " app_id, 0, 'scheduled', $4, 'new', '', now(), now(), $5 from unnest($1::text[], $2::text[], $3::text[])"
            + " as claim(msg_id, endpoint_id, app_id) where not exists (select from delivery.attempt a"
            + " where a.app_id = claim.app_id and a.msg_id = claim.msg_id and a.endpoint_id = claim.endpoint_id"
            + " and a.trigger_type = 0)"
            + " on conflict (msg_id, endpoint_id) do nothing returning msg_id, endpoint_id, due_at";
    /**
     * Of the rows {@link #CLAIM} just created, those of a delivery whose scheduled attempt is on
     * record after all: its outcome committed while CLAIM ran. CLAIM's snapshot, taken when it
     * began, could not see that attempt; it found the row the outcome was deleting, waited for that
     * transaction and, the row gone, inserted its own. This statement's snapshot is newer than the
     * wait (read committed), so it sees the attempt. Deletes nothing, and writes nothing, when no
     * claim met an outcome in flight.
     */
    private static final String ENDED_MEANWHILE = "delete from delivery.pending_delivery p using unnest($1::text[],"
            + " $2::text[]) as claim(msg_id, endpoint_id) where p.msg_id = claim.msg_id and p.endpoint_id ="
            + " claim.endpoint_id and exists (select from delivery.attempt a where a.app_id = p.app_id"
            + " and a.msg_id = p.msg_id and a.endpoint_id = p.endpoint_id and a.trigger_type = 0)"
            + " returning p.msg_id, p.endpoint_id";

    private final DatabaseClient db;
    private final ClaimantSession claimant;
    private final Settings settings;
    private final Sinks.Many<Claim> claims = Sinks.many().unicast().onBackpressureBuffer();
    private volatile Disposable running;

    public DeliveryClaims(DatabaseClient db, ClaimantSession claimant, Settings settings) {
        this.db = db;
        this.claimant = claimant;
        this.settings = settings;
    }

    /**
     * Records that {@code msgId} is to be delivered to each endpoint, claimed until (at the latest)
     * {@code leaseEnd} by the caller, who makes the first attempts. Completes, once durable, with
     * the endpoints whose rows this call created and the lease they were given.
     */
    public Mono<NewClaims> claimNew(String appId, String msgId, List<String> endpointIds, Instant leaseEnd) {
        if (endpointIds.isEmpty()) {
            return Mono.just(new NewClaims(List.of(), leaseEnd));
        }
        return Mono.create(sink -> claims.emitNext(new Claim(appId, msgId, List.copyOf(endpointIds), leaseEnd, sink),
                Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1))));
    }

    @Override
    public void start() {
        running = claims.asFlux()
                .bufferTimeout(settings.maxBatch(), settings.maxDelay(), true)
                .flatMap(this::write, settings.concurrentBatches())
                .subscribe(null, error -> log.error("Delivery claims stopped; messages will not be consumed", error));
    }

    /** One statement for the batch; each caller learns which of its rows it created. */
    private Mono<Void> write(List<Claim> batch) {
        Rows rows = Rows.of(batch);
        return db.sql(CLAIM)
                .bind(0, rows.msgIds())
                .bind(1, rows.endpointIds())
                .bind(2, rows.appIds())
                .bind(3, rows.leaseEnd())
                .bind(4, claimant.id())
                .map(row -> Map.entry(row.get("msg_id", String.class) + '\n' + row.get("endpoint_id", String.class),
                        row.get("due_at", Instant.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .flatMap(created -> created.isEmpty() ? Mono.just(created) : withoutEndedMeanwhile(created))
                .doOnNext(created -> rows.owners().forEach((claim, keys) -> claim.sink().success(NewClaims.of(keys, created))))
                .onErrorResume(error -> {
                    log.warn("Claiming {} deliveries of {} messages failed: {}", rows.msgIds().length, batch.size(),
                            error.toString());
                    batch.forEach(claim -> claim.sink().error(error));
                    return Mono.empty();
                })
                .then();
    }

    /**
     * The created rows less those {@link #ENDED_MEANWHILE} deleted. Its own statement, after
     * CLAIM's commit: a crash in between leaves such a row leased to nobody alive, and the retry
     * poller sends it once more when the lease ends (within the bound a crash already has).
     */
    private Mono<Map<String, Instant>> withoutEndedMeanwhile(Map<String, Instant> created) {
        String[] msgIds = new String[created.size()];
        String[] endpointIds = new String[created.size()];
        int n = 0;
        for (String key : created.keySet()) {
            int split = key.indexOf('\n');
            msgIds[n] = key.substring(0, split);
            endpointIds[n++] = key.substring(split + 1);
        }
        return db.sql(ENDED_MEANWHILE)
                .bind(0, msgIds)
                .bind(1, endpointIds)
                .map(row -> row.get("msg_id", String.class) + '\n' + row.get("endpoint_id", String.class))
                .all()
                .collectList()
                .map(ended -> {
                    if (ended.isEmpty()) {
                        return created;
                    }
                    log.info("{} deliveries ended while their records were claimed again; not owed again", ended.size());
                    Map<String, Instant> owed = new HashMap<>(created);
                    owed.keySet().removeAll(ended);
                    return owed;
                });
    }

    @Override
    public void stop() {
        Disposable current = running;
        if (current != null) {
            current.dispose();
        }
        running = null;
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }

    /** Stops after the Kafka listener, which claims through it. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 3000;
    }

    /**
     * The endpoints whose rows a claim created, and the lease they carry, as PostgreSQL stored it
     * (the fence of a later release: {@link PendingDeliveries#releaseNow}).
     */
    public record NewClaims(List<String> endpointIds, Instant leaseEnd) {

        private static NewClaims of(List<String> keys, Map<String, Instant> created) {
            List<String> endpointIds = new ArrayList<>(keys.size());
            Instant leaseEnd = null;
            for (String key : keys) {
                Instant stored = created.get(key);
                if (stored != null) {
                    endpointIds.add(key.substring(key.indexOf('\n') + 1));
                    leaseEnd = stored;
                }
            }
            return new NewClaims(List.copyOf(endpointIds), leaseEnd);
        }
    }

    private record Claim(String appId, String msgId, List<String> endpointIds, Instant leaseEnd, MonoSink<NewClaims> sink) {}

    /**
     * The batch as the statement's arrays, each (message, endpoint) pair once: a pair repeated in
     * the batch belongs to the claim that came first, the later ones are told it existed already.
     * The earliest lease asked for is given to all (they were asked within milliseconds).
     */
    private record Rows(String[] msgIds, String[] endpointIds, String[] appIds, Instant leaseEnd, Map<Claim, List<String>> owners) {

        static Rows of(List<Claim> batch) {
            Set<String> seen = new HashSet<>();
            List<String> msgIds = new ArrayList<>();
            List<String> endpointIds = new ArrayList<>();
            List<String> appIds = new ArrayList<>();
            Map<Claim, List<String>> owners = new LinkedHashMap<>();
            Instant leaseEnd = null;
            for (Claim claim : batch) {
                List<String> owned = new ArrayList<>(claim.endpointIds().size());
                for (String endpointId : claim.endpointIds()) {
                    String key = claim.msgId() + '\n' + endpointId;
                    if (seen.add(key)) {
                        msgIds.add(claim.msgId());
                        endpointIds.add(endpointId);
                        appIds.add(claim.appId());
                        owned.add(key);
                    }
                }
                owners.put(claim, owned);
                leaseEnd = leaseEnd == null || claim.leaseEnd().isBefore(leaseEnd) ? claim.leaseEnd() : leaseEnd;
            }
            return new Rows(msgIds.toArray(String[]::new), endpointIds.toArray(String[]::new),
                    appIds.toArray(String[]::new), leaseEnd, owners);
        }
    }

    /**
     * @param maxBatch messages whose claims share one statement at most
     * @param maxDelay how long a claim waits for others to share its statement
     * @param concurrentBatches statements in flight at once
     */
    @ConfigurationProperties("hookrelay.delivery.claims")
    public record Settings(
            @DefaultValue("500") int maxBatch,
            @DefaultValue("2ms") Duration maxDelay,
            @DefaultValue("2") int concurrentBatches) {}
}
