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
import java.util.List;
import reactor.core.scheduler.Scheduler;

/**
 * The name resolver of the webhook HTTP client: every address a host name resolves to when the
 * connection is made is checked with {@link AddressRules}, and a non-public one fails the
 * connection before it is opened. Checking here, on the addresses actually connected to, closes
 * the gap a DNS rebinding attack would use between an earlier check and the connect. Lookups run
 * on {@code blockingScheduler}, never on the event loop.
 */
public final class GuardedAddressResolverGroup extends AddressResolverGroup<InetSocketAddress> {

    private final HostResolver resolver;
    private final DestinationProperties properties;
    private final Scheduler blockingScheduler;

    public GuardedAddressResolverGroup(HostResolver resolver, DestinationProperties properties, Scheduler blockingScheduler) {
        this.resolver = resolver;
        this.properties = properties;
        this.blockingScheduler = blockingScheduler;
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
            blockingScheduler.schedule(() -> {
                try {
                    promise.trySuccess(allowed(host).getFirst());
                } catch (Exception e) {
                    promise.tryFailure(e);
                }
            });
        }

        @Override
        protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
            blockingScheduler.schedule(() -> {
                try {
                    promise.trySuccess(allowed(host));
                } catch (Exception e) {
                    promise.tryFailure(e);
                }
            });
        }

        private List<InetAddress> allowed(String host) throws UnknownHostException {
            List<InetAddress> addresses = resolver.resolve(host);
            if (addresses.isEmpty()) {
                throw new UnknownHostException(host);
            }
            for (InetAddress address : addresses) {
                if (properties.allowLoopback() && AddressRules.isLoopback(address)) {
                    continue;
                }
                var kind = AddressRules.nonPublicClass(address);
                if (kind.isPresent()) {
                    throw new DestinationRefusedException("Destination " + host + " resolved at connect time to "
                            + address.getHostAddress() + ", a " + kind.get() + " address; refused (SSRF protection)");
                }
            }
            return addresses;
        }
    }
}
