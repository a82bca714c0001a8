package io.hookrelay.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;
import org.yaml.snakeyaml.Yaml;

/**
 * The gateway must close an idle pooled connection before the service at the other end does
 * (ADR 0020): the shipped settings of all three services keep that order.
 */
class IdleTimeoutOrderTest {

    static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theGatewayDropsIdleConnectionsBeforeEitherServiceClosesThem() throws Exception {
        Duration gatewayIdle = setting("api-gateway", "spring.cloud.gateway.server.webflux.httpclient.pool.max-idle-time");
        Duration ingestIdle = setting("ingest-service", "server.netty.idle-timeout");
        Duration deliveryIdle = setting("delivery-service", "server.netty.idle-timeout");

        assertThat(gatewayIdle).isPositive().isLessThan(ingestIdle).isLessThan(deliveryIdle);
        assertThat(setting("api-gateway", "spring.cloud.gateway.server.webflux.httpclient.pool.eviction-interval"))
                .as("idle connections are also closed without traffic").isPositive().isLessThan(gatewayIdle);
    }

    static Duration setting(String service, String dottedName) throws Exception {
        Path file = REPOSITORY.resolve(service).resolve("src/main/resources/application.yml");
        Object node = new Yaml().load(Files.readString(file));
        for (String key : dottedName.split("\\.")) {
            assertThat(node).as("%s in %s", dottedName, file).isInstanceOf(Map.class);
            node = ((Map<?, ?>) node).get(key);
        }
        assertThat(node).as("%s in %s", dottedName, file).isNotNull();
        return DurationStyle.detectAndParse(node.toString());
    }
}
