package io.hookrelay.gateway;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Gateway settings.
 *
 * @param adminToken a bootstrap organisation token from configuration (compared in constant time,
 *     never stored); empty disables it, leaving only tokens created through the API
 * @param ingestUri where ingest-service listens
 * @param deliveryUri where delivery-service listens
 * @param publicUrl how clients reach the gateway, used in the links it hands out
 * @param healthTimeout how long the aggregated health check waits for each service
 */
@Validated
@ConfigurationProperties("hookrelay.gateway")
public record GatewayProperties(
        @DefaultValue("") String adminToken,
        @NotNull URI ingestUri,
        @NotNull URI deliveryUri,
        @DefaultValue("http://127.0.0.1:8080") URI publicUrl,
        @DefaultValue("3s") Duration healthTimeout) {}
