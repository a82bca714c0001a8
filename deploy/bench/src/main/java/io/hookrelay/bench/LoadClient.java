package io.hookrelay.bench;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * The one HTTP client every scenario sends with (the ceiling included, so the figures compare):
 * asynchronous, keep-alive connections from a pool large enough for the concurrency asked for.
 */
final class LoadClient implements AutoCloseable {

    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);

    /** What one request came back with: a status, body and whether it said when to retry; or the error. */
    record Answer(int status, String body, boolean retryAfter, Throwable error, long nanos) {}

    private final ConnectionProvider connections;
    private final HttpClient client;

    LoadClient(String baseUrl, String token, int maxConnections, LoopResources loops) {
        this.connections = ConnectionProvider.builder("bench")
                .maxConnections(maxConnections)
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(RESPONSE_TIMEOUT)
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        this.client = HttpClient.create(connections)
                .runOn(loops)
                .baseUrl(baseUrl)
                .responseTimeout(RESPONSE_TIMEOUT)
                .headers(headers -> headers
                        .set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token)
                        .set(HttpHeaderNames.CONTENT_TYPE, "application/json"));
    }

    /** Posts {@code body}; the answer (never an error signal) arrives on an event loop. */
    Mono<Answer> post(String path, byte[] body, String idempotencyKey) {
        return client.post()
                .uri(path)
                .send((request, outbound) -> {
                    // a length, not chunked: as every SDK sends it
                    request.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
                    if (idempotencyKey != null) {
                        request.header("idempotency-key", idempotencyKey);
                    }
                    return outbound.sendByteArray(Mono.just(body));
                })
                .responseSingle((response, content) -> content.asString()
                        .defaultIfEmpty("")
                        .map(text -> new Answer(response.status().code(), text,
                                response.responseHeaders().contains(HttpHeaderNames.RETRY_AFTER), null, System.nanoTime())))
                .onErrorResume(error -> Mono.just(new Answer(0, "", false, error, System.nanoTime())));
    }

    @Override
    public void close() {
        connections.dispose();
    }
}
