package io.hookrelay.delivery.ssrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Uses a stub resolver: no name is looked up and no connection is made. */
class DestinationGuardTest {

    private final StubHostResolver stub = new StubHostResolver()
            .answer("public.example", "93.184.216.34")
            .answer("internal.example", "10.0.0.7")
            .answer("mixed.example", "93.184.216.34", "169.254.169.254")
            .answer("localhost", "127.0.0.1", "::1")
            .answer("pods.example", "2600:1f18:aaaa::17")
            .answer("office.example", "10.20.30.40")
            .answer("teredo.example", "2001:0:4136:e378:8000:63bf:3fff:fdd2")
            .hang("silent.example");

    private final DestinationGuard guard = new DestinationGuard(stub, DestinationProperties.defaults(false));
    private final DestinationGuard localGuard = new DestinationGuard(stub, DestinationProperties.defaults(true));

    @Test
    void allowsAPublicDestination() {
        assertThat(guard.check(URI.create("https://public.example/hook")).blockOptional()).isEmpty();
    }

    @Test
    void refusesANameThatResolvesToAPrivateAddressAndSaysWhichRuleWithoutTheAddress() {
        assertThatThrownBy(() -> guard.check(URI.create("https://internal.example/hook")).block())
                .isInstanceOf(DestinationRefusedException.class)
                .hasMessage("destination refused: resolves to a private address (SSRF protection)")
                .hasMessageNotContaining("10.0.0.7");
    }

    @Test
    void refusesWhenAnyResolvedAddressIsNotPublic() {
        assertThatThrownBy(() -> guard.check(URI.create("https://mixed.example/hook")).block())
                .isInstanceOf(DestinationRefusedException.class)
                .hasMessageContaining("a cloud metadata address")
                .hasMessageNotContaining("169.254");
    }

    @Test
    void refusesLiteralInternalAddresses() {
        assertThatThrownBy(() -> guard.check(URI.create("http://169.254.169.254/latest/meta-data")).block())
                .hasMessageContaining("cloud metadata");
        assertThatThrownBy(() -> guard.check(URI.create("http://[::1]:8080/")).block())
                .hasMessageContaining("loopback");
        assertThatThrownBy(() -> guard.check(URI.create("http://[::ffff:127.0.0.1]/")).block())
                .hasMessageContaining("loopback");
        assertThatThrownBy(() -> guard.check(URI.create("http://[2002:c0a8:101::1]/")).block())
                .hasMessageContaining("6to4");
        assertThatThrownBy(() -> guard.check(URI.create("https://teredo.example/")).block())
                .hasMessageContaining("Teredo");
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

    @Test
    void aLookupWithoutAnyAddressIsRefusedNotAllowed() {
        var empty = new DestinationGuard(host -> reactor.core.publisher.Mono.empty(), DestinationProperties.defaults(false));

        assertThatThrownBy(() -> empty.check(URI.create("https://public.example/")).block())
                .isInstanceOf(DestinationRefusedException.class)
                .hasMessageContaining("has no address");
        assertThatThrownBy(() -> new DestinationGuard(host -> reactor.core.publisher.Mono.just(List.of()),
                        DestinationProperties.defaults(false)).check(URI.create("https://public.example/")).block())
                .hasMessageContaining("has no address");
    }

    @Test
    void aLookupThatNeverAnswersEndsAtTheTimeoutAsARetryableFailureNotARefusal() {
        var patient = new DestinationGuard(stub, properties(false, List.of(), List.of(), Duration.ofMillis(200)));
        long started = System.nanoTime();

        assertThatThrownBy(() -> patient.check(URI.create("https://silent.example/")).block(Duration.ofSeconds(5)))
                .isInstanceOf(DestinationLookupTimeoutException.class)
                .hasMessageContaining("silent.example")
                .hasMessageContaining("timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void anOperatorDeniedRangeRefusesPublicAddressesInItAndOnlyThose() {
        var denying = new DestinationGuard(stub, properties(false, List.of("2600:1f18:aaaa::/48", "93.184.216.0/24"),
                List.of(), Duration.ofSeconds(5)));

        assertThatThrownBy(() -> denying.check(URI.create("https://pods.example/")).block())
                .hasMessage("destination refused: resolves to an address in a range refused by the operator"
                        + " (SSRF protection)");
        assertThatThrownBy(() -> denying.check(URI.create("https://public.example/")).block())
                .hasMessageContaining("refused by the operator");
        assertThatThrownBy(() -> denying.check(URI.create("http://[::ffff:93.184.216.34]/")).block())
                .as("the IPv4-mapped spelling of a denied address").hasMessageContaining("refused by the operator");
        assertThat(denying.check(URI.create("https://[2600:1f18:aaab::17]/")).blockOptional())
                .as("just outside the denied /48").isEmpty();
        assertThat(denying.check(URI.create("https://93.184.217.1/")).blockOptional())
                .as("just outside the denied /24").isEmpty();
    }

    @Test
    void anOperatorAllowedRangeOpensThatNonPublicRangeOnly() {
        var allowing = new DestinationGuard(stub, properties(false, List.of(), List.of("10.20.0.0/16"), Duration.ofSeconds(5)));

        assertThat(allowing.check(URI.create("https://office.example/")).blockOptional()).isEmpty();
        assertThat(allowing.check(URI.create("https://10.20.255.255/")).blockOptional()).isEmpty();
        assertThatThrownBy(() -> allowing.check(URI.create("https://internal.example/")).block())
                .as("10.0.0.7 is outside the allowed /16").hasMessageContaining("a private address");
        assertThatThrownBy(() -> allowing.check(URI.create("https://10.21.0.1/")).block())
                .hasMessageContaining("a private address");
        assertThatThrownBy(() -> allowing.check(URI.create("http://localhost/")).block())
                .as("loopback needs allow-loopback").hasMessageContaining("loopback");
    }

    @Test
    void noAllowedRangeOpensTheCloudMetadataAddresses() {
        var careless = new DestinationGuard(stub, properties(false, List.of(),
                List.of("169.254.0.0/16", "100.64.0.0/10", "fd00::/8", "0.0.0.0/0", "::/0"), Duration.ofSeconds(5)));

        assertThatThrownBy(() -> careless.check(URI.create("http://169.254.169.254/")).block())
                .hasMessageContaining("cloud metadata");
        assertThatThrownBy(() -> careless.check(URI.create("http://100.100.100.200/")).block())
                .hasMessageContaining("cloud metadata");
        assertThatThrownBy(() -> careless.check(URI.create("http://[fd00:ec2::254]/")).block())
                .hasMessageContaining("cloud metadata");
        assertThatThrownBy(() -> careless.check(URI.create("http://[::ffff:a9fe:a9fe]/")).block())
                .hasMessageContaining("cloud metadata");
        assertThatThrownBy(() -> careless.check(URI.create("http://[64:ff9b::a9fe:a9fe]/")).block())
                .hasMessageContaining("cloud metadata");
        assertThat(careless.check(URI.create("http://169.254.1.1/")).blockOptional())
                .as("the rest of the allowed link-local range").isEmpty();
    }

    @Test
    void aDeniedRangeWinsOverAnAllowedOneAndOverLocalMode() {
        var both = new DestinationGuard(stub, properties(true, List.of("10.20.30.0/24", "127.0.0.0/8"),
                List.of("10.0.0.0/8"), Duration.ofSeconds(5)));

        assertThatThrownBy(() -> both.check(URI.create("https://office.example/")).block())
                .hasMessageContaining("refused by the operator");
        assertThatThrownBy(() -> both.check(URI.create("http://127.0.0.1/")).block())
                .hasMessageContaining("refused by the operator");
        assertThat(both.check(URI.create("https://internal.example/")).blockOptional()).isEmpty();
    }

    @Test
    void noRefusalNamesTheResolvedAddress() {
        for (String url : List.of("https://internal.example/", "https://mixed.example/", "https://teredo.example/",
                "http://[64:ff9b:1::a00:1]/", "http://[::ffff:0:a00:1]/", "http://[100::1]/", "http://192.88.99.1/")) {
            assertThatThrownBy(() -> guard.check(URI.create(url)).block())
                    .isInstanceOf(DestinationRefusedException.class)
                    .message()
                    .startsWith("destination refused: resolves to ")
                    .doesNotContainPattern("\\d+\\.\\d+\\.\\d+\\.\\d+")
                    .doesNotContainPattern("[0-9a-f]*:[0-9a-f]*:");
        }
    }

    private static DestinationProperties properties(
            boolean allowLoopback, List<String> denied, List<String> allowed, Duration resolveTimeout) {
        return new DestinationProperties(allowLoopback, denied.stream().map(AddressRange::valueOf).toList(),
                allowed.stream().map(AddressRange::valueOf).toList(), resolveTimeout);
    }
}
