package io.hookrelay.delivery.dispatch;

import io.hookrelay.delivery.ssrf.DestinationRefusedException;
import io.hookrelay.delivery.ssrf.GuardedAddressResolverGroup;
import io.netty.channel.ChannelOption;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.resources.ConnectionProvider;

/**
 * POSTs one signed webhook over pooled keep-alive connections. Redirects are not followed; only
 * the first bytes of the response body are read, then the connection is released. Reactor Netty's
 * client directly: WebClient's exchange (its request and response wrappers, header adapters and
 * body writers) cost more CPU than the HTTP exchange underneath (docs/benchmarks.md).
 */
@Component
class WebhookSender {

    private final HttpClient client;
    private final DeliveryProperties properties;

    WebhookSender(DeliveryProperties properties, GuardedAddressResolverGroup resolver) {
        this.properties = properties;
        var pool = ConnectionProvider.builder("webhooks")
                .maxConnections(properties.maxConnections())
                .pendingAcquireMaxCount(-1)
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        this.client = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis())
                .responseTimeout(properties.requestTimeout())
                .followRedirect(false)
                .compress(false)
                .resolver(resolver);
    }

    Mono<WebhookResponse> send(URI url, HttpHeaders headers, byte[] body) {
        return Mono.defer(() -> {
            long started = System.nanoTime();
            return client.post()
                    .uri(url)
                    .send((request, outbound) -> {
                        var out = request.requestHeaders();
                        headers.forEach(out::set);
                        out.set(HttpHeaderNames.USER_AGENT, properties.userAgent())
                                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
                        return outbound.sendByteArray(Mono.just(body));
                    })
                    .response((response, content) -> read(response, content, started))
                    .next()
                    .timeout(properties.requestTimeout())
                    .onErrorResume(error -> refusal(error) != null
                            ? Mono.error(refusal(error))
                            : Mono.just(new WebhookResponse.NoResponse(describe(error), since(started))));
        });
    }

    /** The status, Retry-After and the body's first bytes; the rest of the body is never read. */
    private Mono<WebhookResponse> read(HttpClientResponse response, ByteBufFlux content, long started) {
        int limit = (int) properties.maxResponseBodyBytes().toBytes();
        var prefix = new ByteArrayOutputStream(Math.min(limit, 1024));
        return content
                .takeUntil(buffer -> {
                    // the buffer is released by Reactor Netty once this returns
                    int take = Math.min(buffer.readableBytes(), limit - prefix.size());
                    byte[] bytes = new byte[take];
                    buffer.readBytes(bytes);
                    prefix.writeBytes(bytes);
                    return prefix.size() >= limit;
                })
                .then(Mono.fromSupplier(() -> new WebhookResponse.Received(
                        response.status().code(),
                        response.responseHeaders().get(HttpHeaderNames.RETRY_AFTER),
                        prefix.toString(StandardCharsets.UTF_8),
                        since(started))));
    }

    /** The connect-time SSRF refusal behind {@code error}, if that is what it is. */
    private static DestinationRefusedException refusal(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof DestinationRefusedException refused) {
                return refused;
            }
        }
        return null;
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private static String describe(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException
                    || cause instanceof io.netty.handler.timeout.TimeoutException
                    || cause instanceof io.netty.channel.ConnectTimeoutException) {
                return "Timed out";
            }
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return "No response: " + message;
    }
}
