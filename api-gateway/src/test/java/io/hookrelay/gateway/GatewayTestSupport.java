package io.hookrelay.gateway;

import io.hookrelay.infra.SharedInfrastructure;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The gateway's test settings: the JVM's shared real PostgreSQL, stub services behind it. */
final class GatewayTestSupport {

    static final String ADMIN_TOKEN = "gateway-it-admin";
    static final String INTERNAL_TOKEN = "gateway-it-internal";

    private GatewayTestSupport() {}

    /** The shared database, and the internal credential without which the gateway does not start. */
    static void database(DynamicPropertyRegistry registry) {
        registry.add("hookrelay.internal-token", () -> INTERNAL_TOKEN);
        var infra = SharedInfrastructure.get();
        registry.add("hookrelay.database.port", infra.postgres()::port);
        registry.add("hookrelay.database.name", () -> SharedInfrastructure.DATABASE);
    }

    static void services(DynamicPropertyRegistry registry, StubService ingest, StubService delivery) {
        database(registry);
        registry.add("hookrelay.gateway.admin-token", () -> ADMIN_TOKEN);
        registry.add("hookrelay.gateway.ingest-uri", ingest::uri);
        registry.add("hookrelay.gateway.delivery-uri", delivery::uri);
    }
}
