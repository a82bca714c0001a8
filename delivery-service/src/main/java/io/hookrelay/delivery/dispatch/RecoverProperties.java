package io.hookrelay.delivery.dispatch;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of {@code POST …/endpoint/{id}/recover}.
 *
 * @param maxAge how far back {@code since} may reach; an older one is refused (422), so one request
 *     cannot replay an endpoint's whole history
 * @param lockTimeout how long a running recovery keeps others of the same endpoint out (409) if
 *     its process dies before it finishes
 */
@ConfigurationProperties("hookrelay.delivery.recover")
public record RecoverProperties(@DefaultValue("14d") Duration maxAge, @DefaultValue("15m") Duration lockTimeout) {}
