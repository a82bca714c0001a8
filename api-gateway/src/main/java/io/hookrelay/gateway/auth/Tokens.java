package io.hookrelay.gateway.auth;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.hookrelay.events.PrefixedId;
import io.hookrelay.gateway.GatewayProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Issues, verifies and revokes API tokens. Verification is one indexed lookup by the token's
 * digest, remembered for {@link TokenProperties#cacheTtl()} (unknown tokens too, so the same bad
 * token repeated costs one query); strings that are not shaped like our tokens cost none. Expiry
 * is checked on every request, not cached.
 */
@Service
public class Tokens {

    /** The id under which the configured bootstrap token appears in logs and to services. */
    public static final String ADMIN_TOKEN_ID = "admin";

    private static final String TOKEN_ID_PREFIX = "tok";

    private final TokenStore store;
    private final TokenSecrets secrets;
    private final Clock clock;
    private final byte[] adminToken;
    private final PrefixedId ids = new PrefixedId();
    private final AsyncCache<ByteBuffer, Optional<ApiToken>> verified;
    private final Counter lookups;

    Tokens(TokenStore store, TokenSecrets secrets, GatewayProperties gateway, TokenProperties properties, Clock clock,
            MeterRegistry meters) {
        this.store = store;
        this.secrets = secrets;
        this.clock = clock;
        this.adminToken = gateway.adminToken().getBytes(StandardCharsets.UTF_8);
        this.lookups = Counter.builder("hookrelay.gateway.tokens.lookups")
                .description("Token verifications that queried the token database (not answered from the cache)")
                .register(meters);
        this.verified = Caffeine.newBuilder()
                .expireAfterWrite(properties.cacheTtl())
                .maximumSize(100_000)
                .buildAsync();
    }

    /** The identity behind a presented token, or empty when it is unknown, revoked or expired. */
    public Mono<Identity> authenticate(String presented) {
        return verify(presented, true);
    }

    /**
     * Like {@link #authenticate}, but only from what this replica already knows (the admin token,
     * tokens verified within the cache time, lookups in flight): never a new database query.
     */
    public Mono<Identity> authenticateWithoutLookup(String presented) {
        return verify(presented, false);
    }

    private Mono<Identity> verify(String presented, boolean mayLookUp) {
        if (adminToken.length > 0 && MessageDigest.isEqual(adminToken, presented.getBytes(StandardCharsets.UTF_8))) {
            return Mono.just(Identity.organisation(ADMIN_TOKEN_ID));
        }
        if (!TokenSecrets.wellFormed(presented)) {
            return Mono.empty(); // no query for what cannot be a token of ours
        }
        var key = ByteBuffer.wrap(TokenSecrets.digest(presented));
        return Mono.defer(() -> Mono.justOrEmpty(mayLookUp ? verified.get(key, this::lookUp) : verified.getIfPresent(key)))
                .flatMap(Mono::fromFuture)
                .flatMap(Mono::justOrEmpty)
                .filter(token -> token.usableAt(clock.instant()))
                .map(ApiToken::identity);
    }

    private CompletableFuture<Optional<ApiToken>> lookUp(ByteBuffer digest, Executor executor) {
        lookups.increment();
        return store.findByDigest(digest.array()).map(Optional::of).defaultIfEmpty(Optional.empty()).toFuture();
    }

    Mono<IssuedToken> issueOrgToken(String name, Duration lifetime) {
        String token = secrets.newToken(TokenSecrets.ORG_PREFIX);
        var stored = new ApiToken(ids.next(TOKEN_ID_PREFIX), ApiToken.ORG, name, null, null, false,
                null, lifetime == null ? null : clock.instant().plus(lifetime), null);
        return store.insert(stored, TokenSecrets.digest(token)).map(saved -> new IssuedToken(token, saved));
    }

    Mono<IssuedToken> issueAppToken(String appId, String appUid, Duration lifetime, boolean readOnly) {
        String token = secrets.newToken(TokenSecrets.APP_PREFIX);
        var stored = new ApiToken(ids.next(TOKEN_ID_PREFIX), ApiToken.APP, null, appId, appUid, readOnly,
                null, clock.instant().plus(lifetime), null);
        return store.insert(stored, TokenSecrets.digest(token)).map(saved -> new IssuedToken(token, saved));
    }

    /** Revokes a token by id; this replica forgets it at once, others within the cache time. */
    Mono<Boolean> revoke(String tokenId) {
        return store.revoke(tokenId).doOnNext(revoked -> forget(tokenId));
    }

    Instant now() {
        return clock.instant();
    }

    private void forget(String tokenId) {
        verified.synchronous().asMap().values()
                .removeIf(token -> token.map(t -> t.id().equals(tokenId)).orElse(false));
    }
}
