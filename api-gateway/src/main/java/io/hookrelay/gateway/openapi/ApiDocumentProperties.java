package io.hookrelay.gateway.openapi;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of {@code GET /api/v1/openapi.json}.
 *
 * @param cacheFor how long a merged document is served before the services are asked again (it
 *     only changes with a deployment)
 * @param timeout how long to wait for each service's part
 */
@ConfigurationProperties("hookrelay.gateway.openapi")
public record ApiDocumentProperties(@DefaultValue("30s") Duration cacheFor, @DefaultValue("5s") Duration timeout) {}
