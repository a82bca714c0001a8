package io.hookrelay.gateway.authfailures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class ClientAddressTest {

    private final ClientAddress direct = new ClientAddress(List.of());
    private final ClientAddress behindProxies = new ClientAddress(List.of("10.0.0.0/8", "fd00::/8"));

    @Test
    void theTcpPeerIsTheClientWhateverTheHeadersSay() {
        assertThat(direct.key(from("192.0.2.1", "203.0.113.5"))).isEqualTo("192.0.2.1");
        assertThat(behindProxies.key(from("192.0.2.1", "203.0.113.5"))).isEqualTo("192.0.2.1");
    }

    @Test
    void behindATrustedProxyTheRightMostUntrustedHopIsTheClient() {
        assertThat(behindProxies.key(from("10.1.2.3", "203.0.113.5"))).isEqualTo("203.0.113.5");
        assertThat(behindProxies.key(from("10.1.2.3", "198.51.100.66, 203.0.113.5"))).isEqualTo("203.0.113.5");
        assertThat(behindProxies.key(from("10.1.2.3", "198.51.100.66, 203.0.113.5, 10.9.9.9"))).isEqualTo("203.0.113.5");
    }

    @Test
    void aProxyThatForwardsNothingReadableIsTheClient() {
        assertThat(behindProxies.key(from("10.1.2.3", null))).isEqualTo("10.1.2.3");
        assertThat(behindProxies.key(from("10.1.2.3", "unknown"))).isEqualTo("10.1.2.3");
        assertThat(behindProxies.key(from("10.1.2.3", "evil.example, 203.0.113.5"))).isEqualTo("203.0.113.5");
        assertThat(behindProxies.key(from("10.1.2.3", "localhost"))).as("names are never resolved").isEqualTo("10.1.2.3");
    }

    @Test
    void ipv6ClientsAreCountedByTheirSlash64() {
        assertThat(direct.key(from("2001:db8:1:2:aaaa::1", null))).isEqualTo(direct.key(from("2001:db8:1:2:ffff:ffff:ffff:ffff", null)));
        assertThat(direct.key(from("2001:db8:1:2::1", null))).isNotEqualTo(direct.key(from("2001:db8:1:3::1", null)));
        assertThat(direct.key(from("::ffff:192.0.2.1", null))).isEqualTo("192.0.2.1");
    }

    @Test
    void refusesTrustedProxySettingsThatAreNotAddresses() {
        assertThatThrownBy(() -> new ClientAddress(List.of("proxy.internal"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/33"))).isInstanceOf(IllegalArgumentException.class);
    }

    private static MockServerHttpRequest from(String peer, String forwardedFor) {
        var request = MockServerHttpRequest.get("/api/v1/app").remoteAddress(new InetSocketAddress(literal(peer), 40000));
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return request.build();
    }

    private static java.net.InetAddress literal(String address) {
        return java.net.InetAddress.ofLiteral(address);
    }
}
