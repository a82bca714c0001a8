package io.hookrelay.gateway.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * API token settings.
 *
 * @param cacheTtl how long a replica trusts what it read about a token; a token revoked on another
 *     replica stops working there within this time (on the replica that revoked it, at once)
 * @param appTokenExpiry lifetime of an application token when the request does not ask for one
 * @param appTokenMinExpiry shortest lifetime a request may ask for
 * @param appTokenMaxExpiry longest lifetime a request may ask for
 */
@ConfigurationProperties("hookrelay.gateway.tokens")
public record TokenProperties(
        @DefaultValue("5s") Duration cacheTtl,
        @DefaultValue("7d") Duration appTokenExpiry,
        @DefaultValue("1h") Duration appTokenMinExpiry,
        @DefaultValue("7d") Duration appTokenMaxExpiry) {}
