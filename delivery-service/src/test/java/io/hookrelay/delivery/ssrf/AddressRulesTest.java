package io.hookrelay.delivery.ssrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every refused range, with the first and last address inside it and the neighbours just outside. */
class AddressRulesTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "127.0.0.1, loopback",
        "127.255.255.255, loopback",
        "::1, loopback",
        "0.0.0.0, unspecified",
        "0.255.255.255, unspecified",
        "::, unspecified",
        "10.0.0.0, private",
        "10.255.255.255, private",
        "172.16.0.0, private",
        "172.31.255.255, private",
        "192.168.0.0, private",
        "192.168.255.255, private",
        "169.254.169.254, cloud metadata",
        "169.254.0.0, link-local",
        "169.254.255.255, link-local",
        "fe80::1, link-local",
        "febf:ffff::1, link-local",
        "fec0::1, site-local",
        "fc00::1, unique-local",
        "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, unique-local",
        "fd00:ec2::254, cloud metadata",
        "100.64.0.0, carrier-grade NAT",
        "100.127.255.255, carrier-grade NAT",
        "100.100.100.200, cloud metadata",
        "168.63.129.16, cloud platform service",
        "192.0.0.0, IETF protocol assignments",
        "192.0.0.255, IETF protocol assignments",
        "192.0.2.1, documentation",
        "198.51.100.255, documentation",
        "203.0.113.0, documentation",
        "2001:db8::1, documentation",
        "192.88.99.0, 6to4 relay anycast",
        "192.88.99.255, 6to4 relay anycast",
        "198.18.0.0, benchmarking",
        "198.19.255.255, benchmarking",
        "2001:2::1, benchmarking",
        "224.0.0.0, multicast",
        "239.255.255.255, multicast",
        "ff02::1, multicast",
        "240.0.0.0, reserved",
        "255.255.255.255, reserved",
        "::ffff:127.0.0.1, loopback",
        "::ffff:10.0.0.1, private",
        "::ffff:169.254.169.254, cloud metadata",
        "64:ff9b::a9fe:a9fe, cloud metadata",
        "64:ff9b::a00:1, private",
        "::7f00:1, loopback",
        "::808:808, IPv4-compatible",
        "2002::, 6to4",
        "2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff, 6to4",
        "2002:808:808::1, 6to4",
        "2001::, Teredo",
        "2001:0:ffff:ffff:ffff:ffff:ffff:ffff, Teredo",
        "64:ff9b:1::, NAT64 local-use",
        "64:ff9b:1:ffff:ffff:ffff:ffff:ffff, NAT64 local-use",
        "100::, discard-only",
        "100::ffff:ffff:ffff:ffff, discard-only",
        "::ffff:0:0:0, IPv4-translated",
        "::ffff:0:808:808, IPv4-translated",
        "::ffff:0:ffff:ffff, IPv4-translated",
        "2001:10::1, ORCHID",
        "2001:20::1, ORCHID",
        "100:0:0:1::, reserved IPv6",
        "4000::1, reserved IPv6",
        "64:ff9b:2::1, reserved IPv6",
    })
    void refusesNonPublicAddresses(String address, String kind) {
        assertThat(AddressRules.nonPublicClass(parse(address)))
                .hasValueSatisfying(found -> assertThat(found).contains(kind));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "93.184.216.34", "8.8.8.8", "1.1.1.1",
        "9.255.255.255", "11.0.0.0",
        "172.15.255.255", "172.32.0.0",
        "192.167.255.255", "192.169.0.0",
        "169.253.255.255", "169.255.0.0",
        "100.63.255.255", "100.128.0.0",
        "126.255.255.255", "128.0.0.0",
        "1.0.0.0",
        "192.0.1.255", "192.0.3.0",
        "192.88.98.255", "192.88.100.0",
        "198.17.255.255", "198.20.0.0",
        "223.255.255.255",
        "2606:4700::1111", "2a00:1450:4001:80b::200e",
        "2001:1::1", "2001:1:ffff::1",
        "2001:dc0::1",
        "2003::1", "2001:4860:4860::8888",
        "::ffff:8.8.8.8", "64:ff9b::808:808",
        "3fff:ffff::1",
    })
    void allowsPublicAddresses(String address) {
        assertThat(AddressRules.nonPublicClass(parse(address))).isEmpty();
    }

    @Test
    void rangesContainTheirFirstAndLastAddressAndNothingBeside() {
        var range = AddressRange.valueOf("2001:db8:abcd::/48");

        assertThat(range.contains(parse("2001:db8:abcd::"))).isTrue();
        assertThat(range.contains(parse("2001:db8:abcd:ffff:ffff:ffff:ffff:ffff"))).isTrue();
        assertThat(range.contains(parse("2001:db8:abcc:ffff:ffff:ffff:ffff:ffff"))).isFalse();
        assertThat(range.contains(parse("2001:db8:abce::"))).isFalse();
        assertThat(AddressRange.valueOf("10.1.2.3").contains(parse("10.1.2.3"))).isTrue();
        assertThat(AddressRange.valueOf("10.1.2.3").contains(parse("10.1.2.4"))).isFalse();
        assertThat(AddressRange.valueOf("0.0.0.0/0").contains(parse("::1"))).as("families never mix").isFalse();
    }

    @Test
    void aRangeIsALiteralNeverAName() {
        assertThatThrownBy(() -> AddressRange.valueOf("internal.example/24")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddressRange.valueOf("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddressRange.valueOf("fd00::/129")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddressRange.valueOf("10.0.0.0/x")).isInstanceOf(IllegalArgumentException.class);
    }

    private static InetAddress parse(String literal) {
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(literal);
        assertThat(address).as(literal).isNotNull();
        return address;
    }
}
