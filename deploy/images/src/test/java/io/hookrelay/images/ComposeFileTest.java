package io.hookrelay.images;

import static io.hookrelay.images.ComposeFile.list;
import static io.hookrelay.images.ComposeFile.map;
import static io.hookrelay.images.ComposeFile.services;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/compose.yaml, for laptops. podman-compose cannot run it here (no host networking in
 * podman-compose 1.0.3, no registry for postgres and kafka images), so the file is parsed, its
 * anchors merged, and what matters asserted: the same hardening as the chart, credentials only
 * from the environment, only the gateway published and only on loopback.
 */
class ComposeFileTest {

    private static final List<String> HOOKRELAY = List.of("api-gateway", "ingest-service", "delivery-service");
    private static final Pattern CREDENTIAL = Pattern.compile(".*(TOKEN|PASSWORD|ENCRYPTION_KEY|SECRET|JAAS|REDIS_URI).*");
    /** ${NAME:?message}: compose refuses to start without it, and the file holds no value. */
    private static final Pattern REQUIRED_VARIABLE = Pattern.compile("\\$\\{[A-Z_]+:\\?[^}]+}");

    @Test
    void runsEveryHookRelayServiceHardenedAsInTheChart() {
        var services = services();

        assertThat(services).containsKeys("api-gateway", "ingest-service", "delivery-service", "postgres", "kafka");
        for (String name : HOOKRELAY) {
            var service = map(services.get(name));
            assertThat(service).as(name)
                    .containsEntry("read_only", true)
                    .containsEntry("user", "10001:10001")
                    .containsEntry("cap_drop", List.of("ALL"))
                    .containsKey("healthcheck")
                    .containsKey("mem_limit");
            assertThat(list(service.get("tmpfs"))).as(name).anySatisfy(t -> assertThat((String) t).startsWith("/tmp"));
            assertThat((String) service.get("image")).as(name).endsWith("/" + name + ":${HOOKRELAY_IMAGE_TAG:-dev}");
        }
    }

    @Test
    void takesEveryCredentialFromTheEnvironment() {
        int credentials = 0;
        for (var entry : services().entrySet()) {
            for (var variable : map(map(entry.getValue()).get("environment")).entrySet()) {
                if (CREDENTIAL.matcher(variable.getKey()).matches()) {
                    credentials++;
                    assertThat(String.valueOf(variable.getValue())).as("%s %s", entry.getKey(), variable.getKey())
                            .matches(REQUIRED_VARIABLE);
                }
            }
        }
        assertThat(credentials).as("credentials checked").isGreaterThanOrEqualTo(8);
    }

    @Test
    void publishesOnlyTheGatewayAndOnlyOnLoopback() {
        var services = services();

        services.forEach((name, service) -> {
            if (!name.equals("api-gateway")) {
                assertThat(map(service)).as(name).doesNotContainKey("ports");
            }
        });
        assertThat(list(map(services.get("api-gateway")).get("ports"))).containsExactly("127.0.0.1:8080:8080");
    }
}
