package io.hookrelay.delivery.dispatch;

import io.hookrelay.delivery.ssrf.DestinationRefusedException;
import io.hookrelay.delivery.ssrf.GuardedAddressResolverGroup;
import io.netty.channel.ChannelOption;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * POSTs one signed webhook over pooled keep-alive connections. Redirects are not followed; only
 * the first bytes of the response body are read, then the connection is released.
 */
@Component
class WebhookSender {

    private final WebClient client;
    private final DeliveryProperties properties;

    WebhookSender(DeliveryProperties properties, GuardedAddressResolverGroup resolver) {
        this.properties = properties;
        var pool = ConnectionProvider.builder("webhooks")
                .maxConnections(properties.maxConnections())
                .pendingAcquireMaxCount(-1)
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        var http = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis())
                .responseTimeout(properties.requestTimeout())
                .followRedirect(false)
                .compress(false)
                .resolver(resolver);
        this.client = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
    }

    Mono<WebhookResponse> send(URI url, HttpHeaders headers, byte[] body) {
        return Mono.defer(() -> {
            long started = System.nanoTime();
            return client.post()
                    .uri(url)
                    .headers(h -> h.addAll(headers))
                    .header(HttpHeaders.USER_AGENT, properties.userAgent())
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(body)
                    .exchangeToMono(response -> read(response, started))
                    .timeout(properties.requestTimeout())
                    .onErrorResume(error -> refusal(error) != null
                            ? Mono.error(refusal(error))
                            : Mono.just(new WebhookResponse.NoResponse(describe(error), since(started))));
        });
    }

    private Mono<WebhookResponse> read(ClientResponse response, long started) {
        int limit = (int) properties.maxResponseBodyBytes().toBytes();
        var prefix = new ByteArrayOutputStream(Math.min(limit, 1024));
        return response.bodyToFlux(DataBuffer.class)
                .takeUntil(buffer -> {
                    try {
                        int take = Math.min(buffer.readableByteCount(), limit - prefix.size());
                        byte[] bytes = new byte[take];
                        buffer.read(bytes);
                        prefix.writeBytes(bytes);
                    } finally {
                        DataBufferUtils.release(buffer);
                    }
                    return prefix.size() >= limit;
                })
                .then(Mono.fromSupplier(() -> (WebhookResponse) new WebhookResponse.Received(
                        response.statusCode().value(),
                        response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER),
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
