package io.hookrelay.delivery.ssrf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Why an address must not receive webhooks, if it must not: everything that is not a public
 * unicast address (loopback, private, link-local with the cloud metadata service, unique-local,
 * multicast, carrier-grade NAT, reserved), including IPv4 addresses hidden in IPv6 forms.
 */
public final class AddressRules {

    private AddressRules() {}

    /** The class of a non-public address, or empty for a public unicast address. */
    public static Optional<String> nonPublicClass(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            Optional<Inet4Address> embedded = embeddedIpv4(v6);
            if (embedded.isPresent()) {
                return nonPublicClass(embedded.get()).map(kind -> kind + " (IPv4 inside IPv6)");
            }
            return ipv6Class(v6);
        }
        return ipv4Class(address.getAddress());
    }

    public static boolean isLoopback(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            return embeddedIpv4(v6).map(InetAddress::isLoopbackAddress).orElse(v6.isLoopbackAddress());
        }
        return address.isLoopbackAddress();
    }

    private static Optional<String> ipv4Class(byte[] a) {
        int b0 = a[0] & 0xFF;
        int b1 = a[1] & 0xFF;
        int b2 = a[2] & 0xFF;
        int b3 = a[3] & 0xFF;
        if (b0 == 127) return Optional.of("loopback");
        if (b0 == 0) return Optional.of("unspecified (0.0.0.0/8)");
        if (b0 == 10 || (b0 == 172 && b1 >= 16 && b1 <= 31) || (b0 == 192 && b1 == 168)) {
            return Optional.of("private");
        }
        if (b0 == 169 && b1 == 254) {
            return Optional.of(b2 == 169 && b3 == 254 ? "cloud metadata" : "link-local");
        }
        if (b0 == 100 && b1 >= 64 && b1 <= 127) return Optional.of("carrier-grade NAT (may host cloud metadata)");
        if (b0 == 192 && b1 == 0 && b2 == 0) return Optional.of("IETF protocol assignments");
        if (b0 == 198 && (b1 == 18 || b1 == 19)) return Optional.of("benchmarking");
        if (b0 >= 224 && b0 <= 239) return Optional.of("multicast");
        if (b0 >= 240) return Optional.of("reserved or broadcast");
        return Optional.empty();
    }

    private static Optional<String> ipv6Class(Inet6Address address) {
        byte[] a = address.getAddress();
        if (address.isLoopbackAddress()) return Optional.of("loopback");
        if (address.isAnyLocalAddress()) return Optional.of("unspecified (::)");
        if ((a[0] & 0xFF) == 0xFF) return Optional.of("multicast");
        if ((a[0] & 0xFE) == 0xFC) {
            return Optional.of(isAwsMetadata(a) ? "cloud metadata" : "unique-local");
        }
        if ((a[0] & 0xFF) == 0xFE && (a[1] & 0xC0) == 0x80) return Optional.of("link-local");
        if ((a[0] & 0xFF) == 0xFE && (a[1] & 0xC0) == 0xC0) return Optional.of("site-local");
        if ((a[0] & 0xFF) == 0x20 && (a[1] & 0xFF) == 0x01 && (a[2] & 0xFF) == 0x0D && (a[3] & 0xFF) == 0xB8) {
            return Optional.of("documentation");
        }
        return Optional.empty();
    }

    /** IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d). */
    private static Optional<Inet4Address> embeddedIpv4(Inet6Address address) {
        byte[] a = address.getAddress();
        boolean firstTenZero = Arrays.equals(Arrays.copyOfRange(a, 0, 10), new byte[10]);
        boolean mapped = firstTenZero && (a[10] & 0xFF) == 0xFF && (a[11] & 0xFF) == 0xFF;
        boolean compatible = firstTenZero && a[10] == 0 && a[11] == 0 && !address.isLoopbackAddress()
                && !address.isAnyLocalAddress();
        boolean nat64 = (a[0] & 0xFF) == 0x00 && (a[1] & 0xFF) == 0x64 && (a[2] & 0xFF) == 0xFF && (a[3] & 0xFF) == 0x9B
                && Arrays.equals(Arrays.copyOfRange(a, 4, 12), new byte[8]);
        if (!mapped && !compatible && !nat64) {
            return Optional.empty();
        }
        try {
            return Optional.of((Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(a, 12, 16)));
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static boolean isAwsMetadata(byte[] a) {
        // fd00:ec2::254
        byte[] metadata = {(byte) 0xFD, 0x00, 0x0E, (byte) 0xC2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};
        return Arrays.equals(a, metadata);
    }
}
