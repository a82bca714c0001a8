package io.hookrelay.delivery.ssrf;

import java.net.InetAddress;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Looks up a host name's addresses without blocking a thread; replaceable in tests so no real
 * lookup (or packet) is needed. Errors with {@link java.net.UnknownHostException} when the name
 * has no address, or {@link java.util.concurrent.TimeoutException} when the name servers do not
 * answer in time. Callers still bound it with a timeout of their own: a resolver may never answer.
 */
@FunctionalInterface
public interface HostResolver {

    Mono<List<InetAddress>> resolve(String host);
}
