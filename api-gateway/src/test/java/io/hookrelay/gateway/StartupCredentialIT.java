package io.hookrelay.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookrelay.infra.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The gateway does not start without the internal credential, unless the development setting says so. */
@ExtendWith(OutputCaptureExtension.class)
class StartupCredentialIT {

    @Test
    void refusesToStartWithoutTheInternalCredential() {
        assertThatThrownBy(() -> gateway().run("--hookrelay.internal-token=").close())
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("hookrelay.internal-token")
                .hasMessageContaining("HOOKRELAY_INTERNAL_TOKEN");
    }

    @Test
    void startsWithoutOneOnlyWithTheNamedDevelopmentSettingAndSaysSoLoudly(CapturedOutput output) {
        try (var context = gateway().run("--hookrelay.internal-token=", "--hookrelay.development.allow-missing-internal-token=true")) {
            assertThat(context.isRunning()).isTrue();
        }

        assertThat(output.getOut()).containsPattern("WARN .*DEVELOPMENT MODE: hookrelay.development.allow-missing-internal-token=true");
    }

    private static SpringApplicationBuilder gateway() {
        var infra = SharedInfrastructure.get();
        return new SpringApplicationBuilder(GatewayApplication.class)
                .properties(
                        "server.port=0",
                        "management.server.port=0",
                        "hookrelay.database.port=" + infra.postgres().port(),
                        "hookrelay.database.name=" + SharedInfrastructure.DATABASE);
    }
}
