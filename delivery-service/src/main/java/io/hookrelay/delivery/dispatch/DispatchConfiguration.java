package io.hookrelay.delivery.dispatch;

import io.hookrelay.delivery.ssrf.DestinationGuard;
import io.hookrelay.delivery.ssrf.DestinationProperties;
import io.hookrelay.delivery.ssrf.DnsHostResolver;
import io.hookrelay.delivery.ssrf.GuardedAddressResolverGroup;
import io.hookrelay.delivery.ssrf.HostResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class DispatchConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DispatchConfiguration.class);

    /** Asynchronous DNS; a test replaces it with a {@code @Primary} stub so no lookup leaves the machine. */
    @Bean(destroyMethod = "close")
    DnsHostResolver dnsHostResolver(DestinationProperties properties) {
        return new DnsHostResolver(properties.resolveTimeout());
    }

    @Bean
    DestinationGuard destinationGuard(HostResolver resolver, DestinationProperties properties) {
        if (properties.allowLoopback()) {
            log.warn("Loopback webhook destinations are ALLOWED (hookrelay.delivery.destinations.allow-loopback)."
                    + " Use this only for local development and tests.");
        }
        if (!properties.allowedRanges().isEmpty()) {
            log.warn("Non-public webhook destinations in {} are ALLOWED (hookrelay.delivery.destinations.allowed-ranges)",
                    properties.allowedRanges());
        }
        return new DestinationGuard(resolver, properties);
    }

    /** The same rules again when the connection is made, on the addresses actually used. */
    @Bean
    GuardedAddressResolverGroup guardedAddressResolverGroup(HostResolver resolver, DestinationProperties properties) {
        return new GuardedAddressResolverGroup(resolver, properties);
    }
}
