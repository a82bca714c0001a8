package io.hookrelay.delivery.ssrf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Why an address must not receive webhooks, if it must not: everything that is not a public
 * unicast address (loopback, private, link-local with the cloud metadata services, unique-local,
 * multicast, carrier-grade NAT, documentation, benchmarking, reserved, and the IPv6 transition
 * forms that can carry a packet to an IPv4 address nobody checked: 6to4, Teredo, IPv4-translated,
 * NAT64 local-use), including IPv4 addresses hidden in IPv6 forms. Each class is written with
 * its article ("a private address") so a refusal can name it without naming the address.
 */
public final class AddressRules {

    private record Rule(AddressRange range, String description) {}

    /** First match wins: the narrow metadata addresses come before the blocks they sit in. */
    private static final List<Rule> IPV4 = List.of(
            rule("169.254.169.254/32", "a cloud metadata address"),
            rule("100.100.100.200/32", "a cloud metadata address"),
            rule("168.63.129.16/32", "a cloud platform service address"),
            rule("0.0.0.0/8", "an unspecified address (0.0.0.0/8)"),
            rule("10.0.0.0/8", "a private address"),
            rule("172.16.0.0/12", "a private address"),
            rule("192.168.0.0/16", "a private address"),
            rule("127.0.0.0/8", "a loopback address"),
            rule("169.254.0.0/16", "a link-local address"),
            rule("100.64.0.0/10", "a carrier-grade NAT address (may host cloud metadata)"),
            rule("192.0.0.0/24", "an IETF protocol assignments address"),
            rule("192.0.2.0/24", "a documentation address"),
            rule("198.51.100.0/24", "a documentation address"),
            rule("203.0.113.0/24", "a documentation address"),
            rule("192.88.99.0/24", "a 6to4 relay anycast address"),
            rule("198.18.0.0/15", "a benchmarking address"),
            rule("224.0.0.0/4", "a multicast address"),
            rule("240.0.0.0/4", "a reserved or broadcast address"));

    private static final List<Rule> IPV6 = List.of(
            rule("::1/128", "a loopback address"),
            rule("::/128", "an unspecified address (::)"),
            rule("::ffff:0:0:0/96", "an IPv4-translated address"),
            rule("64:ff9b:1::/48", "a NAT64 local-use address"),
            rule("100::/64", "a discard-only address"),
            rule("2001::/32", "a Teredo address"),
            rule("2001:2::/48", "a benchmarking address"),
            rule("2001:10::/28", "an ORCHID address"),
            rule("2001:20::/28", "an ORCHID address"),
            rule("2001:db8::/32", "a documentation address"),
            rule("2002::/16", "a 6to4 address"),
            rule("fd00:ec2::254/128", "a cloud metadata address"),
            rule("fc00::/7", "a unique-local address"),
            rule("fe80::/10", "a link-local address"),
            rule("fec0::/10", "a site-local address"),
            rule("ff00::/8", "a multicast address"));

    /** Every public IPv6 unicast address lies in 2000::/3; all else is reserved by IANA. */
    private static final AddressRange IPV6_GLOBAL_UNICAST = AddressRange.valueOf("2000::/3");

    private static final List<AddressRange> METADATA = List.of(
            AddressRange.valueOf("169.254.169.254/32"),
            AddressRange.valueOf("100.100.100.200/32"),
            AddressRange.valueOf("fd00:ec2::254/128"));

    private AddressRules() {}

    /** The class of a non-public address with its article ("a private address"), or empty for a public unicast address. */
    public static Optional<String> nonPublicClass(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            Optional<Inet4Address> embedded = embeddedIpv4(v6);
            if (embedded.isPresent()) {
                Optional<String> inner = nonPublicClass(embedded.get()).map(kind -> kind + " (IPv4 inside IPv6)");
                // ::a.b.c.d is deprecated (RFC 4291) and never a real destination, whatever it embeds.
                return inner.isPresent() || !isIpv4Compatible(v6) ? inner : Optional.of("an IPv4-compatible address (deprecated)");
            }
            return firstMatch(IPV6, v6).or(() -> IPV6_GLOBAL_UNICAST.contains(v6)
                    ? Optional.empty()
                    : Optional.of("a reserved IPv6 address"));
        }
        return firstMatch(IPV4, address);
    }

    public static boolean isLoopback(InetAddress address) {
        return effective(address).isLoopbackAddress();
    }

    /** The cloud instance metadata services (AWS, GCP, Azure, Alibaba), which no setting may open. */
    public static boolean isCloudMetadata(InetAddress address) {
        InetAddress effective = effective(address);
        return METADATA.stream().anyMatch(range -> range.contains(effective));
    }

    /** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64), else the address itself. */
    static InetAddress effective(InetAddress address) {
        return address instanceof Inet6Address v6 ? embeddedIpv4(v6).<InetAddress>map(v4 -> v4).orElse(v6) : address;
    }

    private static Optional<String> firstMatch(List<Rule> rules, InetAddress address) {
        return rules.stream().filter(rule -> rule.range().contains(address)).map(Rule::description).findFirst();
    }

    /** IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d). */
    private static Optional<Inet4Address> embeddedIpv4(Inet6Address address) {
        byte[] a = address.getAddress();
        boolean firstTenZero = Arrays.equals(Arrays.copyOfRange(a, 0, 10), new byte[10]);
        boolean mapped = firstTenZero && (a[10] & 0xFF) == 0xFF && (a[11] & 0xFF) == 0xFF;
        boolean nat64 = (a[0] & 0xFF) == 0x00 && (a[1] & 0xFF) == 0x64 && (a[2] & 0xFF) == 0xFF && (a[3] & 0xFF) == 0x9B
                && Arrays.equals(Arrays.copyOfRange(a, 4, 12), new byte[8]);
        if (!mapped && !isIpv4Compatible(address) && !nat64) {
            return Optional.empty();
        }
        try {
            return Optional.of((Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(a, 12, 16)));
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static boolean isIpv4Compatible(Inet6Address address) {
        byte[] a = address.getAddress();
        return Arrays.equals(Arrays.copyOfRange(a, 0, 12), new byte[12])
                && !address.isLoopbackAddress() && !address.isAnyLocalAddress();
    }

    private static Rule rule(String cidr, String description) {
        return new Rule(AddressRange.valueOf(cidr), description);
    }
}
