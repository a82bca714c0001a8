package io.hookrelay.support.security;

import io.hookrelay.frontdoor.InternalCredential;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What a service behind the gateway checks on every request, in this order: a canonical path
 * ({@link CanonicalPathFilter}), the gateway's credential ({@link InternalTokenFilter}), an explicit
 * scope ({@link CallerScope}). Without a configured credential the service does not start, unless
 * {@value InternalCredential#ALLOW_MISSING_PROPERTY} is true (development only, logged as a warning).
 */
@Configuration(proxyBeanMethods = false)
public class FrontDoorConfiguration {

    private static final Logger log = LoggerFactory.getLogger(FrontDoorConfiguration.class);

    @Bean
    CanonicalPathFilter canonicalPathFilter() {
        return new CanonicalPathFilter();
    }

    @Bean
    InternalTokenFilter internalTokenFilter(
            @Value("${" + InternalCredential.PROPERTY + ":}") String token,
            @Value("${" + InternalCredential.ALLOW_MISSING_PROPERTY + ":false}") boolean allowMissing) {
        String required = InternalCredential.require(token, allowMissing);
        if (required.isEmpty()) {
            log.warn(InternalCredential.DEVELOPMENT_WARNING);
        }
        return new InternalTokenFilter(required);
    }

    @Bean
    CallerScope callerScope() {
        return new CallerScope();
    }
}
