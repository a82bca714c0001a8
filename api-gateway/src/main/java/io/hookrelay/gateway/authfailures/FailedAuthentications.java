package io.hookrelay.gateway.authfailures;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.hookrelay.gateway.api.GatewayException;
import io.hookrelay.gateway.auth.Identity;
import io.hookrelay.gateway.auth.Tokens;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Verifies a presented token within its client address's allowance of failed authentications, so
 * that a flood of well-formed random tokens costs the token database at most
 * {@link FailedAuthenticationProperties#allowance()} lookups per address, then one per
 * {@link FailedAuthenticationProperties#refillEvery()}.
 *
 * <p>Each verification reserves a unit of the address's allowance before it runs; a token that
 * proves valid gives it back, so successful authentications cost nothing. When the allowance is
 * spent, only what needs no lookup is still verified (the configured admin token, tokens this
 * replica verified moments ago); anything else is a 429 with {@code Retry-After}, counted in
 * {@code hookrelay.gateway.auth.failures.refused}.
 */
@Component
public class FailedAuthentications {

    private final FailedAuthenticationProperties properties;
    private final Tokens tokens;
    private final Clock clock;
    private final ClientAddress clients;
    private final Cache<String, FailureAllowance> allowances;
    private final Counter failures;
    private final Counter refused;

    FailedAuthentications(FailedAuthenticationProperties properties, Tokens tokens, Clock clock, MeterRegistry meters) {
        this.properties = properties;
        this.tokens = tokens;
        this.clock = clock;
        this.clients = new ClientAddress(properties.trustedProxies());
        // an allowance untouched long enough to be full again is worth nothing: forget it
        this.allowances = Caffeine.newBuilder()
                .maximumSize(properties.maxAddresses())
                .expireAfterAccess(properties.refillEvery().multipliedBy(properties.allowance()).plusSeconds(1))
                .build();
        this.failures = Counter.builder("hookrelay.gateway.auth.failures")
                .description("Presented tokens that did not authenticate")
                .register(meters);
        this.refused = Counter.builder("hookrelay.gateway.auth.failures.refused")
                .description("Requests answered 429 because their client address spent its allowance of failed authentications")
                .register(meters);
    }

    /**
     * The identity behind {@code presented}, or empty when it does not authenticate; an error
     * ({@link GatewayException} 429, {@code Retry-After} set on the response) when the client's
     * allowance is spent and the token cannot be verified without a lookup.
     */
    public Mono<Identity> authenticate(ServerWebExchange exchange, String presented) {
        String client = properties.enabled() ? clients.key(exchange.getRequest()) : null;
        if (client == null) {
            return tokens.authenticate(presented).switchIfEmpty(Mono.fromRunnable(failures::increment));
        }
        long now = clock.millis();
        FailureAllowance allowance = allowances.get(client,
                key -> new FailureAllowance(properties.allowance(), properties.refillEvery().toMillis(), now));
        if (!allowance.reserve(now)) {
            return tokens.authenticateWithoutLookup(presented)
                    .switchIfEmpty(Mono.defer(() -> refuse(exchange, allowance.millisUntilNext(clock.millis()))));
        }
        return tokens.authenticate(presented)
                .doOnNext(identity -> allowance.giveBack())
                .doOnError(error -> allowance.giveBack()) // the database failing is not the client failing
                .switchIfEmpty(Mono.fromRunnable(failures::increment));
    }

    private Mono<Identity> refuse(ServerWebExchange exchange, long retryAfterMillis) {
        failures.increment();
        refused.increment();
        long seconds = Math.max(1, (retryAfterMillis + 999) / 1000);
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        return Mono.error(new GatewayException(HttpStatus.TOO_MANY_REQUESTS, "rate_limited",
                "Too many failed authentications from this address; retry after the time in Retry-After"));
    }
}
