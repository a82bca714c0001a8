package io.hookrelay.delivery.ssrf;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.resolver.InetSocketAddressResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The name resolver of the webhook HTTP client: every address a host name resolves to when the
 * connection is made is checked with {@link DestinationRules}, and a refused one fails the
 * connection before it is opened. Checking here, on the addresses actually connected to, closes
 * the gap a DNS rebinding attack would use between an earlier check and the connect. The lookup
 * is asynchronous (no thread waits for a name server) and bounded by {@code resolve-timeout}.
 */
public final class GuardedAddressResolverGroup extends AddressResolverGroup<InetSocketAddress> {

    private final HostResolver resolver;
    private final DestinationRules rules;
    private final Duration timeout;

    public GuardedAddressResolverGroup(HostResolver resolver, DestinationProperties properties) {
        this.resolver = resolver;
        this.rules = new DestinationRules(properties);
        this.timeout = properties.resolveTimeout();
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
        return new InetSocketAddressResolver(executor, new GuardedNameResolver(executor));
    }

    private final class GuardedNameResolver extends InetNameResolver {

        GuardedNameResolver(EventExecutor executor) {
            super(executor);
        }

        @Override
        protected void doResolve(String host, Promise<InetAddress> promise) {
            complete(allowed(host).map(List::getFirst), promise);
        }

        @Override
        protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
            complete(allowed(host), promise);
        }

        private <T> void complete(Mono<T> lookup, Promise<T> promise) {
            Disposable running = lookup.subscribe(promise::trySuccess, promise::tryFailure);
            promise.addListener(done -> {
                if (done.isCancelled()) {
                    running.dispose();
                }
            });
        }

        private Mono<List<InetAddress>> allowed(String host) {
            return Mono.defer(() -> resolver.resolve(host))
                    .timeout(timeout)
                    .onErrorMap(TimeoutException.class, e -> new TimeoutException("DNS lookup of " + host + " timed out"))
                    .defaultIfEmpty(List.of())
                    .flatMap(addresses -> {
                        if (addresses.isEmpty()) {
                            return Mono.error(new UnknownHostException(host));
                        }
                        return rules.check(addresses)
                                .<Mono<List<InetAddress>>>map(Mono::error)
                                .orElseGet(() -> Mono.just(addresses));
                    });
        }
    }
}
