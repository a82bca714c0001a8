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
    void startsWithoutOneOnlyWithTheNamedDevelopmentSettingAndSaysSoLoudly(CapturedOutput output) {
        try (var context = gateway("--hookrelay.internal-token=", "--hookrelay.development.allow-missing-internal-token=true")) {
            assertThat(context.isRunning()).isTrue();
        }

        assertThat(output.getOut()).containsPattern("WARN .*DEVELOPMENT MODE: hookrelay.development.allow-missing-internal-token=true");
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
