package io.hookrelay.gateway;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Gateway settings.
 *
 * @param adminToken the bearer token with full access (organisation tokens come with issue 6)
 * @param internalToken sent to the services on every routed request; they refuse requests without it
 * @param ingestUri where ingest-service listens
 * @param deliveryUri where delivery-service listens
 * @param healthTimeout how long the aggregated health check waits for each service
 */
@Validated
@ConfigurationProperties("hookrelay.gateway")
public record GatewayProperties(
        @NotBlank(message = "set hookrelay.gateway.admin-token (HOOKRELAY_GATEWAY_ADMIN_TOKEN)") String adminToken,
        @DefaultValue("") String internalToken,
        @NotNull URI ingestUri,
        @NotNull URI deliveryUri,
        @DefaultValue("3s") Duration healthTimeout) {}
