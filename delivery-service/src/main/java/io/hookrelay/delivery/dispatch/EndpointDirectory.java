package io.hookrelay.delivery.dispatch;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The enabled endpoints of an application, for fan-out and retries, from memory: each
 * application's endpoints are read once ({@link EndpointRows}) and kept until ingest-service
 * changes one of them, which {@link EndpointChangeListener} learns from a PostgreSQL notification
 * sent at the change's commit (docs/adr/0009).
 *
 * <p>The cache is trusted only while notifications are known to arrive. Until the LISTEN
 * connection is up, and again from the moment it is lost, every read goes to the database and
 * nothing is cached; (re)listening empties the cache before it is used again, since changes made
 * meanwhile were never announced.
 *
 * <p>A read racing a change is safe without version checks: the cache holds the read's future
 * from the moment the query is issued, and a notification removes that future too, so a result
 * read before a change committed is never served after the change's notification arrived. A
 * notification can only precede the query if the change committed before the query began, and
 * then the query sees it.
 */
@Component
class EndpointDirectory {

    private final EndpointRows rows;
    private final AsyncCache<String, ApplicationEndpoints> cache;
    private final AtomicBoolean listening = new AtomicBoolean();
    private final Counter hits;
    private final Counter misses;
    private final Counter loads;
    private final Counter evictions;

    EndpointDirectory(EndpointRows rows, EndpointCacheProperties properties, Clock clock, MeterRegistry meters) {
        this.rows = rows;
        this.cache = Caffeine.newBuilder()
                .maximumSize(properties.maxApplications())
                .expireAfter(new UntilSigningChanges(properties.ttl(), clock))
                .buildAsync();
        this.hits = meters.counter("hookrelay.delivery.endpoints.cache.hits");
        this.misses = meters.counter("hookrelay.delivery.endpoints.cache.misses");
        this.loads = meters.counter("hookrelay.delivery.endpoints.loads");
        this.evictions = meters.counter("hookrelay.delivery.endpoints.cache.evictions");
        Gauge.builder("hookrelay.delivery.endpoints.listening", listening, on -> on.get() ? 1 : 0)
                .description("1 while endpoint change notifications arrive and the cache is used")
                .register(meters);
        Gauge.builder("hookrelay.delivery.endpoints.cache.size", cache, c -> c.synchronous().estimatedSize())
                .register(meters);
    }

    /**
     * The application's enabled endpoints, for fan-out: unusable ones included
     * ({@link EndpointTarget#usable()}), since they are owed the message all the same.
     */
    Flux<EndpointTarget> enabledEndpoints(String appId) {
        return application(appId).flatMapIterable(ApplicationEndpoints::enabled);
    }

    /**
     * One enabled endpoint, to make an attempt (a retry, a resend); empty when it was disabled or
     * deleted since, an error when its secret or headers cannot be used (the delivery waits).
     */
    Mono<EndpointTarget> enabledEndpoint(String appId, String endpointId) {
        return application(appId)
                .mapNotNull(endpoints -> endpoints.find(endpointId))
                .flatMap(endpoint -> endpoint.usable()
                        ? Mono.just(endpoint)
                        : Mono.error(new IllegalStateException(endpoint.unreadable())));
    }

    private Mono<ApplicationEndpoints> application(String appId) {
        if (!listening.get()) {
            return Mono.defer(() -> load(appId));
        }
        return Mono.defer(() -> {
            boolean[] missed = {false};
            CompletableFuture<ApplicationEndpoints> entry = cache.get(appId, (key, executor) -> {
                missed[0] = true;
                return load(key).toFuture();
            });
            (missed[0] ? misses : hits).increment();
            // Several readers share one future: one cancelling must not cancel it for the others.
            return Mono.fromFuture(entry, true);
        });
    }

    private Mono<ApplicationEndpoints> load(String appId) {
        loads.increment();
        return rows.enabledEndpoints(appId);
    }

    /** An endpoint of {@code appId} changed (committed): its next read goes to the database. */
    void changed(String appId) {
        evictions.increment();
        cache.synchronous().invalidate(appId);
    }

    /** Notifications arrive from now on: start from an empty cache and use it. */
    void listening() {
        cache.synchronous().invalidateAll();
        listening.set(true);
    }

    /** Notifications may be lost from now on: read from the database, and forget what was read. */
    void notListening() {
        listening.set(false);
        cache.synchronous().invalidateAll();
    }

    /** The configured time to live, shortened to when a rotated-out secret stops signing. */
    private record UntilSigningChanges(Duration ttl, Clock clock) implements Expiry<String, ApplicationEndpoints> {

        @Override
        public long expireAfterCreate(String appId, ApplicationEndpoints endpoints, long currentTime) {
            if (endpoints.signingChangesAt() == null) {
                return ttl.toNanos();
            }
            Duration untilChange = Duration.between(clock.instant(), endpoints.signingChangesAt());
            return Math.max(0, Math.min(ttl.toNanos(), untilChange.toNanos()));
        }

        @Override
        public long expireAfterUpdate(String appId, ApplicationEndpoints endpoints, long currentTime, long currentDuration) {
            return expireAfterCreate(appId, endpoints, currentTime);
        }

        @Override
        public long expireAfterRead(String appId, ApplicationEndpoints endpoints, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
