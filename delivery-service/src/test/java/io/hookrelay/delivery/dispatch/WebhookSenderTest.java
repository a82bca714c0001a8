package io.hookrelay.delivery.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.hookrelay.delivery.ssrf.DestinationProperties;
import io.hookrelay.delivery.ssrf.GuardedAddressResolverGroup;
import io.hookrelay.delivery.ssrf.StubHostResolver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
        receiver.createContext("/echo", exchange -> {
            byte[] received = exchange.getRequestBody().readAllBytes();
            lastHeaders = exchange.getRequestHeaders();
            lastBody = received;
            byte[] answer = "x".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Retry-After", "120");
            exchange.sendResponseHeaders(429, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        receiver.createContext("/redirect", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Location", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/echo");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        receiver.createContext("/reset", exchange -> {
            // close the connection without an answer
            exchange.getRequestBody().readAllBytes();
            exchange.close();
        });
        receiver.start();
    }

    private volatile com.sun.net.httpserver.Headers lastHeaders;
    private volatile byte[] lastBody;

    private WebhookSender sender() {
        var properties = new DeliveryProperties(Duration.ofSeconds(1), Duration.ofSeconds(5), DataSize.ofKilobytes(4), 10,
                "HookRelay/test", 10, Duration.ofSeconds(60), null, null, null);
        return new WebhookSender(properties, new GuardedAddressResolverGroup(
                new StubHostResolver(), DestinationProperties.defaults(true)));
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + path);
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    @Test
    void postsTheSignedHeadersAndBodyAndReadsStatusRetryAfterAndABoundedBodyPrefix() {
        var headers = new HttpHeaders();
        headers.set("webhook-id", "msg_1");
        headers.set("webhook-signature", "v1,abc=");
        headers.add("X-Custom", "one");
        byte[] body = "{\"caf\u00e9\":\"\u2713\"}".getBytes(StandardCharsets.UTF_8);

        var response = sender().send(url("/echo"), headers, body).block();

        assertThat(lastBody).isEqualTo(body);
        assertThat(lastHeaders.getFirst("webhook-id")).isEqualTo("msg_1");
        assertThat(lastHeaders.getFirst("webhook-signature")).isEqualTo("v1,abc=");
        assertThat(lastHeaders.getFirst("X-Custom")).isEqualTo("one");
        assertThat(lastHeaders.getFirst("User-Agent")).isEqualTo("HookRelay/test");
        assertThat(lastHeaders.getFirst("Content-Type")).isEqualTo("application/json");
        assertThat(lastHeaders.getFirst("Content-Length")).isEqualTo(String.valueOf(body.length));
        assertThat(response).isInstanceOfSatisfying(WebhookResponse.Received.class, received -> {
            assertThat(received.status()).isEqualTo(429);
            assertThat(received.retryAfter()).isEqualTo("120");
            assertThat(received.bodyPrefix()).isEqualTo("x".repeat(4096));
        });
    }

    @Test
    void doesNotFollowARedirect() {
        lastBody = null;

        var response = sender().send(url("/redirect"), new HttpHeaders(), new byte[] {'{', '}'}).block();

        assertThat(response).isInstanceOfSatisfying(WebhookResponse.Received.class,
                received -> assertThat(received.status()).isEqualTo(302));
        assertThat(lastBody).as("the redirect's target was never asked").isNull();
    }

    @Test
    void reportsAConnectionClosedWithoutAnAnswerAsNoResponse() {
        var response = sender().send(url("/reset"), new HttpHeaders(), new byte[] {'{', '}'}).block();

        assertThat(response).isInstanceOfSatisfying(WebhookResponse.NoResponse.class,
                none -> assertThat(none.reason()).startsWith("No response: "));
    }

    @Test
    void reportsAReceiverThatDoesNotAnswerInTimeAsTimedOutWhichIsNotQuicklyRetried() {
        var properties = new DeliveryProperties(Duration.ofSeconds(1), Duration.ofMillis(300), DataSize.ofKilobytes(4), 10,
                "HookRelay/test", 10, Duration.ofSeconds(60), null, null, null);
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
