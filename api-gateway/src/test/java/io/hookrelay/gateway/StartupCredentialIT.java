package io.hookrelay.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookrelay.infra.SharedInfrastructure;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** The gateway does not start without the internal credential, unless the development setting says so. */
@ExtendWith(OutputCaptureExtension.class)
class StartupCredentialIT {

    @Test
    void refusesToStartWithoutTheInternalCredential() {
        assertThatThrownBy(() -> gateway("--hookrelay.internal-token=").close())
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("hookrelay.internal-token")
                .hasMessageContaining("HOOKRELAY_INTERNAL_TOKEN");
    }

    @Test
    void startsWithoutOneOnlyWithTheNamedDevelopmentSettingAndSaysSoLoudlyAndItsProbesNeedNoToken(CapturedOutput output) {
        try (var context = gateway("--hookrelay.internal-token=", "--hookrelay.development.allow-missing-internal-token=true")) {
            assertThat(context.isRunning()).isTrue();
            probesAnswerWithoutAToken(context);
        }

        assertThat(output.getOut()).containsPattern("WARN .*DEVELOPMENT MODE: hookrelay.development.allow-missing-internal-token=true");
    }

    /**
     * Actuator on the management port answers the kubelet and Prometheus without a token; the
     * gateway's routes and controllers, which Boot serves on that port too, still need one there.
     */
    private static void probesAnswerWithoutAToken(ConfigurableApplicationContext context) {
        String management = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.management.port");
        var client = org.springframework.test.web.reactive.server.WebTestClient.bindToServer().baseUrl(management).build();
        client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
        client.get().uri("/api/v1/app").exchange().expectStatus().isUnauthorized();
        client.post().uri("/api/v1/auth/token").header("Content-Type", "application/json")
                .bodyValue("{\"name\":\"through the back door\"}").exchange().expectStatus().isUnauthorized();
        client.get().uri("/actuatorx").exchange().expectStatus().isUnauthorized();
    }

    /** Started as an operator would, with command-line settings (they win over application.yml). */
    private static ConfigurableApplicationContext gateway(String... settings) {
        var infra = SharedInfrastructure.get();
        var arguments = new java.util.ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--hookrelay.database.port=" + infra.postgres().port(),
                "--hookrelay.database.name=" + SharedInfrastructure.DATABASE));
        arguments.addAll(List.of(settings));
        return new SpringApplicationBuilder(GatewayApplication.class).run(arguments.toArray(String[]::new));
    }
}
