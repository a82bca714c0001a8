package io.hookrelay.delivery.dispatch;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The in-memory copy of applications' endpoints, kept fresh by PostgreSQL change notifications
 * (docs/adr/0009).
 *
 * @param enabled false reads the endpoints from the database for every message and retry, as
 *     before the cache (a way out if LISTEN is impossible, e.g. behind a transaction-mode pooler)
 * @param maxApplications applications whose endpoints are kept; the least used go first
 * @param ttl the longest an entry is served without a reload: a safety net only, since every
 *     change evicts its application at once
 * @param reconnectMinBackoff wait before re-opening a lost LISTEN connection, doubled per failure
 * @param reconnectMaxBackoff the longest such wait
 * @param heartbeat how often the LISTEN connection is checked with a round trip (and how long the
 *     check may take): a connection that died silently would otherwise look like a quiet one
 */
@ConfigurationProperties("hookrelay.delivery.endpoint-cache")
public record EndpointCacheProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("10000") long maxApplications,
        @DefaultValue("5m") Duration ttl,
        @DefaultValue("1s") Duration reconnectMinBackoff,
        @DefaultValue("30s") Duration reconnectMaxBackoff,
        @DefaultValue("15s") Duration heartbeat) {}
