package io.hookrelay.gateway.authfailures;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The per-client-address allowance of failed authentications.
 *
 * @param enabled off lets every presented token reach the token database, as before
 * @param allowance failed authentications one client address may make at once; the next is
 *     answered 429 without looking the token up
 * @param refillEvery one more failed authentication is allowed after each such period (20 a minute
 *     at the default)
 * @param maxAddresses client addresses remembered at once; the least recently seen beyond this are
 *     forgotten (a forgotten address starts again with a full allowance), so memory stays bounded
 *     whatever the number of addresses an attacker uses
 * @param trustedProxies addresses or CIDR ranges of reverse proxies whose {@code X-Forwarded-For}
 *     is believed; empty (the default) believes no header, the TCP peer is the client
 */
@Validated
@ConfigurationProperties("hookrelay.gateway.auth-failures")
public record FailedAuthenticationProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("20") @Min(1) @Max(1_000_000) int allowance,
        @DefaultValue("3s") Duration refillEvery,
        @DefaultValue("100000") @Min(1) int maxAddresses,
        @DefaultValue({}) List<String> trustedProxies) {

    public FailedAuthenticationProperties {
        if (refillEvery.isNegative() || refillEvery.isZero()) {
            throw new IllegalArgumentException("hookrelay.gateway.auth-failures.refill-every must be positive");
        }
    }
}
