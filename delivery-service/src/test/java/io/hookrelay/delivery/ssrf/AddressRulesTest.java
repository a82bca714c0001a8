package io.hookrelay.delivery.ssrf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressRulesTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "127.0.0.1, loopback",
        "127.255.0.9, loopback",
        "::1, loopback",
        "0.0.0.0, unspecified",
        "::, unspecified",
        "10.1.2.3, private",
        "172.16.0.1, private",
        "172.31.255.255, private",
        "192.168.1.1, private",
        "169.254.169.254, cloud metadata",
        "169.254.10.10, link-local",
        "fe80::1, link-local",
        "fc00::1, unique-local",
        "fd12:3456::1, unique-local",
        "fd00:ec2::254, cloud metadata",
        "100.64.0.1, carrier-grade NAT",
        "100.100.100.200, carrier-grade NAT",
        "224.0.0.1, multicast",
        "ff02::1, multicast",
        "255.255.255.255, reserved",
        "240.0.0.1, reserved",
        "::ffff:127.0.0.1, loopback",
        "::ffff:10.0.0.1, private",
        "::ffff:169.254.169.254, cloud metadata",
        "64:ff9b::a9fe:a9fe, cloud metadata",
        "::7f00:1, loopback",
        "198.18.0.1, benchmarking",
    })
    void refusesNonPublicAddresses(String address, String kind) throws UnknownHostException {
        assertThat(AddressRules.nonPublicClass(InetAddress.getByName(address)))
                .hasValueSatisfying(found -> assertThat(found).contains(kind));
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "1.1.1.1", "172.32.0.1", "2606:4700::1111", "::ffff:8.8.8.8"})
    void allowsPublicAddresses(String address) throws UnknownHostException {
        assertThat(AddressRules.nonPublicClass(InetAddress.getByName(address))).isEmpty();
    }
}
