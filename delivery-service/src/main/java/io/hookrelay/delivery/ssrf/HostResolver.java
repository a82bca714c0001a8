package io.hookrelay.delivery.ssrf;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Resolves host names; replaceable in tests so no real lookup (or packet) is needed. */
@FunctionalInterface
public interface HostResolver {

    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The JVM's resolver (blocking: call it off the event loop). */
    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
