package io.hookrelay.support.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A service does not start without the internal credential, unless the development setting says so. */
@ExtendWith(OutputCaptureExtension.class)
class FrontDoorConfigurationTest {

    private final ApplicationContextRunner service = new ApplicationContextRunner()
            .withUserConfiguration(FrontDoorConfiguration.class);

    @Test
    void refusesToStartWithoutTheInternalCredential() {
        service.withPropertyValues("hookrelay.internal-token=").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("hookrelay.internal-token")
                    .hasMessageContaining("HOOKRELAY_INTERNAL_TOKEN");
        });
    }

    @Test
    void refusesABlankCredential() {
        service.withPropertyValues("hookrelay.internal-token=   ").run(context -> assertThat(context).hasFailed());
    }

    @Test
    void startsWithoutOneOnlyWithTheNamedDevelopmentSettingAndSaysSoLoudly(CapturedOutput output) {
        service.withPropertyValues("hookrelay.development.allow-missing-internal-token=true").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(InternalTokenFilter.class).hasSingleBean(CallerScope.class)
                    .hasSingleBean(CanonicalPathFilter.class);
        });

        assertThat(output.getOut()).containsPattern("WARN .*DEVELOPMENT MODE");
    }

    @Test
    void startsWithACredential() {
        service.withPropertyValues("hookrelay.internal-token=s3cret").run(context -> assertThat(context).hasNotFailed());
    }
}
