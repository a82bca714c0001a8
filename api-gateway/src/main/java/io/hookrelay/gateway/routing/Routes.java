package io.hookrelay.gateway.routing;

import io.hookrelay.gateway.GatewayProperties;
import io.hookrelay.gateway.resilience.DownstreamProperties;
import java.util.Map;
import org.springframework.cloud.gateway.support.RouteMetadataUtils;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Which service answers which part of the API: delivery-service owns attempts, resends,
 * recovery and endpoint stats; ingest-service everything else. Clients never talk to a service
 * directly.
 */
@Configuration(proxyBeanMethods = false)
public class Routes {

    @Bean
    RouteLocator hookRelayRoutes(RouteLocatorBuilder routes, GatewayProperties properties, DownstreamProperties downstream) {
        return routes.routes()
                .route("delivery", route -> route.order(0)
                        .path(
                                "/api/v1/app/*/attempt/**",
                                "/api/v1/app/*/msg/*/attempt/**",
                                "/api/v1/app/*/msg/*/endpoint",
                                "/api/v1/app/*/msg/*/endpoint/**",
                                "/api/v1/app/*/endpoint/*/msg",
                                "/api/v1/app/*/endpoint/*/recover",
                                "/api/v1/app/*/endpoint/*/stats")
                        .metadata(timeouts(downstream))
                        .uri(properties.deliveryUri()))
                .route("ingest", route -> route.order(1)
                        .path("/api/v1/**")
                        .metadata(timeouts(downstream))
                        .uri(properties.ingestUri()))
                .build();
    }

    private static Map<String, Object> timeouts(DownstreamProperties downstream) {
        return Map.of(
                RouteMetadataUtils.CONNECT_TIMEOUT_ATTR, (int) downstream.connectTimeout().toMillis(),
                RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR, downstream.responseTimeout().toMillis());
    }
}
