package io.hookrelay.delivery.ssrf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The production resolver's answers that need no name server: IP literals and localhost names
 * (what bin/run-local and the tests deliver to). No query is sent by these tests.
 */
class DnsHostResolverTest {

    private final DnsHostResolver resolver = new DnsHostResolver(Duration.ofSeconds(1));

    @AfterEach
    void close() {
        resolver.close();
    }

    @Test
    void answersIpLiteralsWithThemselves() {
        assertThat(resolver.resolve("127.0.0.1").block()).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.1");
        assertThat(resolver.resolve("10.1.2.3").block()).extracting(InetAddress::getHostAddress).containsExactly("10.1.2.3");
        assertThat(resolver.resolve("::1").block()).singleElement().satisfies(a -> assertThat(a.isLoopbackAddress()).isTrue());
    }

    @Test
    void answersLocalhostNamesWithTheLoopbackAddressesWhateverTheHostsFileSays() {
        for (String name : new String[] {"localhost", "LOCALHOST", "localhost.", "api.localhost"}) {
            assertThat(resolver.resolve(name).block(Duration.ofSeconds(1)))
                    .as(name)
                    .isNotEmpty()
                    .allSatisfy(address -> assertThat(address.isLoopbackAddress()).isTrue());
        }
    }

    @Test
    void localhostLookalikesAreNotLocalhost() {
        assertThat(DnsHostResolver.isLocalhost("localhost.example.com")).isFalse();
        assertThat(DnsHostResolver.isLocalhost("notlocalhost")).isFalse();
        assertThat(DnsHostResolver.isLocalhost("my.localhost")).isTrue();
    }
}
