package io.hookrelay.delivery.ssrf;

import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;

/**
 * Refuses webhook destinations whose host is, or resolves to, an address the
 * {@link DestinationRules} refuse, before any connection is made. Every resolved address must be
 * allowed, so a name cannot smuggle an internal address in beside a public one. The lookup is
 * asynchronous and bounded by {@code resolve-timeout}; running out of time is a
 * {@link DestinationLookupTimeoutException} (retryable), not a refusal.
 */
public class DestinationGuard {

    private final HostResolver resolver;
    private final DestinationRules rules;
    private final DestinationProperties properties;

    public DestinationGuard(HostResolver resolver, DestinationProperties properties) {
        this.resolver = resolver;
        this.rules = new DestinationRules(properties);
        this.properties = properties;
    }

    /**
     * Completes empty when {@code url} may be contacted, or errors with
     * {@link DestinationRefusedException} or {@link DestinationLookupTimeoutException}.
     */
    public Mono<Void> check(URI url) {
        String host = url.getHost();
        if (host == null) {
            return Mono.error(new DestinationRefusedException("destination refused: the URL has no host"));
        }
        String bareHost = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return Mono.defer(() -> resolver.resolve(bareHost))
                .timeout(properties.resolveTimeout())
                .onErrorMap(TimeoutException.class, e -> timedOut(host))
                .onErrorMap(UnknownHostException.class,
                        e -> new DestinationRefusedException("destination refused: host " + host + " does not resolve"))
                .defaultIfEmpty(List.of())
                .flatMap(addresses -> addresses.isEmpty()
                        ? Mono.error(new DestinationRefusedException("destination refused: host " + host + " has no address"))
                        : rules.check(addresses).map(Mono::<Void>error).orElseGet(Mono::empty));
    }

    private DestinationLookupTimeoutException timedOut(String host) {
        return new DestinationLookupTimeoutException("DNS lookup of " + host + " timed out after "
                + properties.resolveTimeout().toMillis() + " ms");
    }
}
