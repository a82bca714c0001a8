package io.hookrelay.delivery.ssrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Uses a stub resolver: no name is looked up and no connection is made. */
class DestinationGuardTest {

    private final HostResolver stub = host -> {
        Map<String, List<String>> names = Map.of(
                "public.example", List.of("93.184.216.34"),
                "internal.example", List.of("10.0.0.7"),
                "mixed.example", List.of("93.184.216.34", "169.254.169.254"),
                "localhost", List.of("127.0.0.1", "::1"));
        List<String> addresses = names.get(host);
        if (addresses == null) {
            if (Character.isDigit(host.charAt(0)) || host.contains(":")) {
                return List.of(InetAddress.getByName(host));
            }
            throw new UnknownHostException(host);
        }
        return addresses.stream().map(DestinationGuardTest::address).toList();
    };

    private final DestinationGuard guard = new DestinationGuard(stub, new DestinationProperties(false));
    private final DestinationGuard localGuard = new DestinationGuard(stub, new DestinationProperties(true));

    @Test
    void allowsAPublicDestination() {
        assertThat(guard.check(URI.create("https://public.example/hook")).blockOptional()).isEmpty();
    }

    @Test
    void refusesANameThatResolvesToAPrivateAddress() {
        assertThatThrownBy(() -> guard.check(URI.create("https://internal.example/hook")).block())
                .isInstanceOf(DestinationRefusedException.class)
                .hasMessageContaining("10.0.0.7")
                .hasMessageContaining("private");
    }

    @Test
    void refusesWhenAnyResolvedAddressIsNotPublic() {
        assertThatThrownBy(() -> guard.check(URI.create("https://mixed.example/hook")).block())
                .isInstanceOf(DestinationRefusedException.class)
                .hasMessageContaining("cloud metadata");
    }

    @Test
    void refusesLiteralInternalAddresses() {
        assertThatThrownBy(() -> guard.check(URI.create("http://169.254.169.254/latest/meta-data")).block())
                .hasMessageContaining("cloud metadata");
        assertThatThrownBy(() -> guard.check(URI.create("http://[::1]:8080/")).block())
                .hasMessageContaining("loopback");
        assertThatThrownBy(() -> guard.check(URI.create("http://[::ffff:127.0.0.1]/")).block())
                .hasMessageContaining("loopback");
    }

    @Test
    void refusesLoopbackByDefaultAndAllowsItInLocalMode() {
        assertThatThrownBy(() -> guard.check(URI.create("http://localhost:9000/")).block())
                .hasMessageContaining("loopback");

        assertThat(localGuard.check(URI.create("http://localhost:9000/")).blockOptional()).isEmpty();
    }

    @Test
    void localModeStillRefusesPrivateAndMetadataAddresses() {
        assertThatThrownBy(() -> localGuard.check(URI.create("http://internal.example/")).block())
                .hasMessageContaining("private");
        assertThatThrownBy(() -> localGuard.check(URI.create("http://169.254.169.254/")).block())
                .hasMessageContaining("cloud metadata");
    }

    @Test
    void refusesANameThatDoesNotResolve() {
        assertThatThrownBy(() -> guard.check(URI.create("https://nowhere.example/")).block())
                .isInstanceOf(DestinationRefusedException.class)
                .hasMessageContaining("does not resolve");
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
