package io.hookrelay.gateway.routing;

import io.hookrelay.frontdoor.InternalCredential;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * How the gateway proves to the services that a request comes from it: the internal credential
 * ({@value InternalCredential#PROPERTY}, the same property the services read), checked at start-up —
 * without one the gateway does not start, unless the development setting
 * {@value InternalCredential#ALLOW_MISSING_PROPERTY} says so (logged as a warning).
 */
@Component
public class ServiceCredential {

    private static final Logger log = LoggerFactory.getLogger(ServiceCredential.class);

    private final String token;

    ServiceCredential(
            @Value("${" + InternalCredential.PROPERTY + ":}") String token,
            @Value("${" + InternalCredential.ALLOW_MISSING_PROPERTY + ":false}") boolean allowMissing) {
        this.token = InternalCredential.require(token, allowMissing);
        if (this.token.isEmpty()) {
            log.warn(InternalCredential.DEVELOPMENT_WARNING);
        }
    }

    String token() {
        return token;
    }

    /**
     * The headers of the gateway's own calls to a service (looking up an application, fetching a
     * service's API document): the credential, and the organisation's scope — the services refuse
     * a request without a scope.
     */
    public void addTo(HttpHeaders headers) {
        headers.set(InternalCredential.HEADER, token);
        headers.set(InternalCredential.SCOPE_HEADER, InternalCredential.ORGANISATION_SCOPE);
    }
}
