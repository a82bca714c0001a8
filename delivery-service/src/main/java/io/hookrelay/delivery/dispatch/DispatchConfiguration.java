package io.hookrelay.delivery.dispatch;

import io.hookrelay.delivery.ssrf.DestinationGuard;
import io.hookrelay.delivery.ssrf.DestinationProperties;
import io.hookrelay.delivery.ssrf.GuardedAddressResolverGroup;
import io.hookrelay.delivery.ssrf.HostResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;

@Configuration(proxyBeanMethods = false)
class DispatchConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DispatchConfiguration.class);

    /** The system resolver unless a test supplies its own {@link HostResolver}. */
    @Bean
    DestinationGuard destinationGuard(ObjectProvider<HostResolver> resolver, DestinationProperties properties) {
        if (properties.allowLoopback()) {
            log.warn("Loopback webhook destinations are ALLOWED (hookrelay.delivery.destinations.allow-loopback)."
                    + " Use this only for local development and tests.");
        }
        return new DestinationGuard(resolver.getIfAvailable(HostResolver::system), properties);
    }

    /** The same rules again when the connection is made, on the addresses actually used. */
    @Bean
    GuardedAddressResolverGroup guardedAddressResolverGroup(
            ObjectProvider<HostResolver> resolver, DestinationProperties properties) {
        return new GuardedAddressResolverGroup(
                resolver.getIfAvailable(HostResolver::system), properties, Schedulers.boundedElastic());
    }
}
