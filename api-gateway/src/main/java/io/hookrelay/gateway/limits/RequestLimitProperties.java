package io.hookrelay.gateway.limits;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on what a client may send.
 *
 * @param maxBodySize the largest request body; larger is a 413 before anything reaches a service
 *     (messages are the large bodies; keep it at least ingest-service's own limit)
 */
@ConfigurationProperties("hookrelay.gateway.requests")
public record RequestLimitProperties(@DefaultValue("1MB") DataSize maxBodySize) {}
