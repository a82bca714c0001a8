package io.hookrelay.delivery.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.hookrelay.delivery.ssrf.DestinationProperties;
import io.hookrelay.delivery.ssrf.DestinationRefusedException;
import io.hookrelay.delivery.ssrf.DnsHostResolver;
import io.hookrelay.delivery.ssrf.GuardedAddressResolverGroup;
import io.hookrelay.delivery.ssrf.StubHostResolver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.util.unit.DataSize;

/**
 * The webhook client checks the addresses it is about to connect to. Names are resolved by a stub
 * (the {@code .test} names do not exist), so no real lookup happens and the only address ever
 * connected to is this test's own loopback receiver.
 */
class ConnectTimeGuardTest {

    private static final StubHostResolver STUB = new StubHostResolver()
            .answer("receiver.test", "127.0.0.1")
            .answer("rebound.test", "10.0.0.1")
            .answer("mixed.test", "127.0.0.1", "169.254.169.254")
            .hang("silent.test");

    private HttpServer receiver;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void connectsThroughTheGuardedResolverWhenTheAddressIsAllowed() {
        var response = sender(true).send(url("receiver.test"), new HttpHeaders(), new byte[0]).block();

        assertThat(response).isInstanceOfSatisfying(WebhookResponse.Received.class,
                received -> assertThat(received.status()).isEqualTo(204));
        assertThat(requests).hasValue(1);
    }

    @Test
    void refusesANameThatResolvesToAPrivateAddressAtConnectTime() {
        assertThatThrownBy(() -> sender(true).send(url("rebound.test"), new HttpHeaders(), new byte[0]).block())
                .isInstanceOf(DestinationRefusedException.class)
                .hasMessageContaining("a private address")
                .hasMessageNotContaining("10.0.0.1");
        assertThat(requests).hasValue(0);
    }

    @Test
    void refusesWhenAnyAddressOfTheNameIsNotPublic() {
        assertThatThrownBy(() -> sender(true).send(url("mixed.test"), new HttpHeaders(), new byte[0]).block())
                .isInstanceOf(DestinationRefusedException.class)
                .hasMessageContaining("cloud metadata");
        assertThat(requests).hasValue(0);
    }

    @Test
    void refusesLoopbackUnlessAllowed() {
        assertThatThrownBy(() -> sender(false).send(url("receiver.test"), new HttpHeaders(), new byte[0]).block())
                .isInstanceOf(DestinationRefusedException.class)
                .hasMessageContaining("loopback");
        assertThat(requests).hasValue(0);
    }

    @Test
    void deliversToLocalhostThroughTheProductionResolverWithoutAskingANameServer() {
        try (var dns = new DnsHostResolver(Duration.ofSeconds(1))) {
            var sender = new WebhookSender(properties(), new GuardedAddressResolverGroup(dns, DestinationProperties.defaults(true)));

            var response = sender.send(url("localhost"), new HttpHeaders(), new byte[0]).block(Duration.ofSeconds(5));

            assertThat(response).isInstanceOfSatisfying(WebhookResponse.Received.class,
                    received -> assertThat(received.status()).isEqualTo(204));
            assertThat(requests).hasValue(1);
        }
    }

    @Test
    void aNameThatNeverResolvesFailsTheConnectionAfterTheLookupTimeout() {
        var response = sender(true, Duration.ofMillis(300)).send(url("silent.test"), new HttpHeaders(), new byte[0])
                .block(Duration.ofSeconds(5));

        assertThat(response).isInstanceOfSatisfying(WebhookResponse.NoResponse.class, none -> {
            assertThat(none.reason()).isEqualTo("Timed out");
            assertThat(none.duration()).isLessThan(Duration.ofSeconds(2));
        });
        assertThat(requests).hasValue(0);
    }

    private URI url(String host) {
        return URI.create("http://" + host + ":" + receiver.getAddress().getPort() + "/hook");
    }

    private static WebhookSender sender(boolean allowLoopback) {
        return sender(allowLoopback, Duration.ofSeconds(5));
    }

    private static WebhookSender sender(boolean allowLoopback, Duration resolveTimeout) {
        var destinations = new DestinationProperties(allowLoopback, List.of(), List.of(), resolveTimeout);
        return new WebhookSender(properties(), new GuardedAddressResolverGroup(STUB, destinations));
    }

    private static DeliveryProperties properties() {
        return new DeliveryProperties(Duration.ofSeconds(2), Duration.ofSeconds(5), DataSize.ofKilobytes(4), 10,
                "HookRelay/test", 10, Duration.ofSeconds(60), null, null, null);
    }
}
