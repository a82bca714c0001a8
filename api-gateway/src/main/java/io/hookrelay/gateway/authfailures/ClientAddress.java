package io.hookrelay.gateway.authfailures;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Which client a request comes from, for counting its failed authentications: the TCP peer,
 * unless the peer is a configured trusted proxy, in which case the right-most
 * {@code X-Forwarded-For} entry that is not itself a trusted proxy (what a client writes into the
 * header itself sits to the left of what its proxy appended, so it is never believed).
 *
 * <p>An IPv6 client is counted by its /64: one subscriber usually holds a whole /64 and could
 * otherwise take a fresh address for every attempt.
 */
final class ClientAddress {

    private final List<AddressRange> trustedProxies;

    ClientAddress(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies.stream().map(AddressRange::parse).toList();
    }

    /** The key the allowance is kept under, or null when the request has no peer address. */
    String key(ServerHttpRequest request) {
        InetSocketAddress peer = request.getRemoteAddress();
        if (peer == null || peer.getAddress() == null) {
            return null;
        }
        byte[] client = peer.getAddress().getAddress();
        if (trusted(client)) {
            client = forwardedClient(request.getHeaders().getValuesAsList("X-Forwarded-For"), client);
        }
        return key(client);
    }

    private byte[] forwardedClient(List<String> forwardedFor, byte[] proxy) {
        byte[] client = proxy;
        // getValuesAsList splits on commas already; walk from the right, the nearest hop first
        for (int i = forwardedFor.size() - 1; i >= 0; i--) {
            var hop = AddressRange.literal(forwardedFor.get(i).trim());
            if (hop.isEmpty()) {
                return client; // garbage from here on leftwards: stop at the last hop we could read
            }
            client = hop.get();
            if (!trusted(client)) {
                return client;
            }
        }
        return client;
    }

    private boolean trusted(byte[] address) {
        if (trustedProxies.isEmpty()) {
            return false;
        }
        InetAddress inet = toInet(address);
        return trustedProxies.stream().anyMatch(range -> range.contains(inet));
    }

    static String key(byte[] address) {
        InetAddress inet = toInet(address);
        byte[] bytes = inet.getAddress(); // an IPv4-mapped IPv6 address comes back as IPv4 here
        if (bytes.length == 16) {
            return HexFormat.of().formatHex(Arrays.copyOf(bytes, 8)) + "::/64";
        }
        return inet.getHostAddress();
    }

    private static InetAddress toInet(byte[] address) {
        try {
            return InetAddress.getByAddress(address);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("An address of " + address.length + " bytes", e);
        }
    }
}
