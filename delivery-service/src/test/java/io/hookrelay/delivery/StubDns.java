package io.hookrelay.delivery;

import io.hookrelay.delivery.ssrf.StubHostResolver;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** Replaces the service's DNS resolver in the integration tests: no query leaves the machine. */
@TestConfiguration(proxyBeanMethods = false)
class StubDns {

    @Bean
    @Primary
    StubHostResolver stubHostResolver() {
        return new StubHostResolver();
    }
}
