package io.hookrelay.delivery.ssrf;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;

/**
 * The production {@link HostResolver}: Netty's asynchronous DNS client (name servers and search
 * domains from {@code /etc/resolv.conf}, {@code /etc/hosts} consulted first, answers cached for
 * their TTL) on one event-loop thread of its own. Unlike the JVM's resolver it never holds a
 * thread while a name server keeps silent, so a name that never resolves costs a timer, not a
 * thread from a pool every tenant shares. IP literals are answered without a lookup, and
 * {@code localhost} names with the loopback addresses (RFC 6761), whatever the hosts file says.
 */
public final class DnsHostResolver implements HostResolver, AutoCloseable {

    private static final List<InetAddress> LOOPBACK = List.of(
            NetUtil.createInetAddressFromIpAddressString("127.0.0.1"),
            NetUtil.createInetAddressFromIpAddressString("::1"));

    private final EventLoopGroup loop;
    private final DnsNameResolver resolver;

    public DnsHostResolver(Duration queryTimeout) {
        this.loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("webhook-dns", true), NioIoHandler.newFactory());
        this.resolver = new DnsNameResolverBuilder(loop.next())
                .datagramChannelType(NioDatagramChannel.class)
                .socketChannelType(NioSocketChannel.class)
                .resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED)
                .queryTimeoutMillis(queryTimeout.toMillis())
                .build();
    }

    @Override
    public Mono<List<InetAddress>> resolve(String host) {
        InetAddress literal = NetUtil.createInetAddressFromIpAddressString(host);
        if (literal != null) {
            return Mono.just(List.of(literal));
        }
        if (isLocalhost(host)) {
            return Mono.just(LOOPBACK);
        }
        return Mono.<List<InetAddress>>create(sink -> {
                    Future<List<InetAddress>> lookup = resolver.resolveAll(host);
                    sink.onCancel(() -> lookup.cancel(false));
                    lookup.addListener(done -> {
                        if (done.isSuccess()) {
                            sink.success(lookup.getNow());
                        } else if (!done.isCancelled()) {
                            sink.error(translate(host, done.cause()));
                        }
                    });
                });
    }

    static boolean isLocalhost(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return name.equals("localhost") || name.endsWith(".localhost");
    }

    /** Netty reports silent name servers as an unknown host; they are a timeout (retryable), not a missing name. */
    private static Throwable translate(String host, Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof DnsNameResolverTimeoutException) {
                return new TimeoutException("DNS lookup of " + host + " timed out");
            }
        }
        if (cause instanceof UnknownHostException) {
            return cause;
        }
        var unknown = new UnknownHostException(host);
        unknown.initCause(cause);
        return unknown;
    }

    @Override
    public void close() {
        resolver.close();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
