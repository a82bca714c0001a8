package io.hookrelay.ingest.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.mock.env.MockEnvironment;

class ReencryptCommandTest {

    @Test
    void theCommandRunsWithoutAWebServerOrKafkaListeners() {
        var environment = new MockEnvironment().withProperty("hookrelay.secrets.reencrypt", "true");

        prepared(environment);

        assertThat(environment.getProperty("spring.main.web-application-type")).isEqualTo("none");
        assertThat(environment.getProperty("spring.kafka.listener.auto-startup")).isEqualTo("false");
    }

    @Test
    void theServiceStartsAsUsualWithoutIt() {
        var environment = new MockEnvironment();

        prepared(environment);

        assertThat(environment.getProperty("spring.main.web-application-type")).isNull();
    }

    private static void prepared(MockEnvironment environment) {
        ReencryptCommand.withoutServing().onApplicationEvent(new ApplicationEnvironmentPreparedEvent(
                new DefaultBootstrapContext(), new SpringApplication(), new String[0], environment));
    }
}
