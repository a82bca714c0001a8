package io.hookrelay.delivery.ssrf;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Refuses webhook destinations whose host is, or resolves to, a non-public address, before any
 * connection is made. Every resolved address must be public, so a name cannot smuggle an
 * internal address in beside a public one.
 */
public class DestinationGuard {

    private final HostResolver resolver;
    private final DestinationProperties properties;

    public DestinationGuard(HostResolver resolver, DestinationProperties properties) {
        this.resolver = resolver;
        this.properties = properties;
    }

    /** Completes empty when {@code url} may be contacted, or errors with {@link DestinationRefusedException}. */
    public Mono<Void> check(URI url) {
        String host = url.getHost();
        if (host == null) {
            return Mono.error(new DestinationRefusedException("URL has no host"));
        }
        String bareHost = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return Mono.fromCallable(() -> resolver.resolve(bareHost))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(UnknownHostException.class, e -> new DestinationRefusedException("Host " + host + " does not resolve"))
                .flatMap(addresses -> firstRefusal(host, addresses)
                        .map(refusal -> Mono.<Void>error(refusal))
                        .orElseGet(Mono::empty));
    }

    private Optional<DestinationRefusedException> firstRefusal(String host, List<InetAddress> addresses) {
        if (addresses.isEmpty()) {
            return Optional.of(new DestinationRefusedException("Host " + host + " has no address"));
        }
        for (InetAddress address : addresses) {
            if (properties.allowLoopback() && AddressRules.isLoopback(address)) {
                continue;
            }
            Optional<String> kind = AddressRules.nonPublicClass(address);
            if (kind.isPresent()) {
                return Optional.of(new DestinationRefusedException("Destination " + host + " resolves to "
                        + address.getHostAddress() + ", a " + kind.get() + " address; refused (SSRF protection)"));
            }
        }
        return Optional.empty();
    }
}
