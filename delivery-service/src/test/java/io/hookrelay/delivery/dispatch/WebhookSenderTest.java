package io.hookrelay.delivery.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.hookrelay.delivery.ssrf.DestinationProperties;
import io.hookrelay.delivery.ssrf.GuardedAddressResolverGroup;
import io.hookrelay.delivery.ssrf.StubHostResolver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.util.unit.DataSize;

/** The HTTP side of an attempt against a real loopback receiver. */
class WebhookSenderTest {

    private HttpServer receiver;

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/hang", exchange -> {
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    @Test
    void reportsAReceiverThatDoesNotAnswerInTimeAsTimedOutWhichIsNotQuicklyRetried() {
        var properties = new DeliveryProperties(Duration.ofSeconds(1), Duration.ofMillis(300), DataSize.ofKilobytes(4), 10,
                "HookRelay/test", 10, Duration.ofSeconds(60), null, null);
        var sender = new WebhookSender(properties, new GuardedAddressResolverGroup(
                new StubHostResolver(), DestinationProperties.defaults(true)));

        var response = sender.send(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hang"),
                new HttpHeaders(), new byte[0]).block();

        assertThat(response).isInstanceOfSatisfying(WebhookResponse.NoResponse.class, none -> {
            assertThat(none.reason()).isEqualTo("Timed out");
            assertThat(none.duration()).isLessThan(Duration.ofSeconds(2));
        });
        assertThat(QuickRetry.isTransient(response)).isFalse();
    }
}
