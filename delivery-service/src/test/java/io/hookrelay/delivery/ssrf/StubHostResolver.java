package io.hookrelay.delivery.ssrf;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;

/**
 * A {@link HostResolver} for tests: answers from a fixed table, answers IP literals with
 * themselves, never answers for the names it is told hang, and knows no other name. Nothing is
 * looked up for real and no packet leaves the machine. Counts lookups in flight per name.
 */
public final class StubHostResolver implements HostResolver {

    private final Map<String, List<InetAddress>> names = new ConcurrentHashMap<>();
    private final Set<String> hanging = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> mostInFlight = new ConcurrentHashMap<>();

    public StubHostResolver answer(String host, String... addresses) {
        names.put(host, List.of(addresses).stream().map(StubHostResolver::literal).toList());
        return this;
    }

    /** Lookups of {@code host} never complete, as with a name server that keeps silent. */
    public StubHostResolver hang(String host) {
        hanging.add(host);
        return this;
    }

    /** The most lookups of {@code host} that were waiting at the same time. */
    public int mostInFlight(String host) {
        return mostInFlight.getOrDefault(host, new AtomicInteger()).get();
    }

    @Override
    public Mono<List<InetAddress>> resolve(String host) {
        if (hanging.contains(host)) {
            return Mono.<List<InetAddress>>never()
                    .doOnSubscribe(subscription -> {
                        int now = inFlight.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
                        mostInFlight.computeIfAbsent(host, h -> new AtomicInteger()).accumulateAndGet(now, Math::max);
                    })
                    .doFinally(signal -> inFlight.get(host).decrementAndGet());
        }
        List<InetAddress> known = names.get(host);
        if (known != null) {
            return Mono.just(known);
        }
        InetAddress literal = NetUtil.createInetAddressFromIpAddressString(host);
        return literal != null ? Mono.just(List.of(literal)) : Mono.error(new UnknownHostException(host));
    }

    private static InetAddress literal(String address) {
        InetAddress parsed = NetUtil.createInetAddressFromIpAddressString(address);
        if (parsed == null) {
            throw new IllegalArgumentException("not an IP literal: " + address);
        }
        return parsed;
    }
}
