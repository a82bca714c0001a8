package io.hookrelay.ingest.idempotency;

import io.hookrelay.ingest.api.Routes;
import io.hookrelay.support.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Svix SDKs send an {@code idempotency-key} with every POST and retry on 5xx and timeouts with
 * the same key. The first request with a key runs and its response (status, content type, body)
 * is recorded; a retry within the window gets that response again and changes nothing. A retry
 * that arrives while the first is still running waits for it. Failures are not recorded: a 5xx or
 * a request that ended in an error releases the key so the retry runs afresh.
 *
 * <p>Keys are scoped by method and path (query included): the same key on another operation is
 * another request.
 *
 * <p>A message creation records its key differently: the accept claims it in the message's own
 * transaction with the response it is about to give ({@link ResponseKeys}, ADR 0029), so the hot
 * path pays one commit instead of three. What a client sees is the same.
 */
@Component
@Order(0)
class IdempotencyFilter implements WebFilter {

    static final String HEADER = "idempotency-key";
    static final String REPLAYED = "idempotent-replayed";

    private static final Logger log = LoggerFactory.getLogger(IdempotencyFilter.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final IdempotencyStore store;
    private final IdempotencyProperties properties;
    private final Clock clock;

    IdempotencyFilter(IdempotencyStore store, IdempotencyProperties properties, Clock clock) {
        this.store = store;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var request = exchange.getRequest();
        String key = request.getHeaders().getFirst(HEADER);
        if (!HttpMethod.POST.equals(request.getMethod())
                || key == null
                || key.isBlank()
                || !request.getPath().value().startsWith("/api/")) {
            return chain.filter(exchange);
        }
        String query = request.getURI().getRawQuery();
        String scope = digest("POST " + request.getPath().value() + (query == null ? "" : "?" + query) + "\n" + key);
        Instant deadline = clock.instant().plus(properties.waitForFirst());
        if (Routes.isMessageCreation(exchange)) {
            // the accept claims the key in its own transaction, its response recorded with it (ADR 0029)
            exchange.getAttributes().put(ResponseKeys.SCOPE, scope);
            return chain.filter(exchange)
                    .onErrorResume(IdempotencyKeyTaken.class, taken -> answerAsTheFirst(exchange, scope, deadline));
        }
        return run(exchange, chain, scope, deadline);
    }

    /**
     * A message creation whose transaction found its key taken: the first request's response,
     * recorded when its transaction committed. (Waits only for a key some other path still holds
     * "in progress"; the body was read, so this request cannot run again.)
     */
    private Mono<Void> answerAsTheFirst(ServerWebExchange exchange, String scope, Instant deadline) {
        return store.find(scope)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(found -> {
                    if (found.isPresent() && !found.get().inProgress()) {
                        return replay(exchange.getResponse(), found.get());
                    }
                    if (found.isEmpty()) {
                        return Mono.error(ApiException.conflict(
                                "The first request with this idempotency-key failed while this one waited for it; retry"));
                    }
                    if (clock.instant().isAfter(deadline)) {
                        return Mono.error(ApiException.conflict("A request with this idempotency-key is still being processed"));
                    }
                    return Mono.delay(POLL).then(Mono.defer(() -> answerAsTheFirst(exchange, scope, deadline)));
                });
    }

    private Mono<Void> run(ServerWebExchange exchange, WebFilterChain chain, String scope, Instant deadline) {
        Instant now = clock.instant();
        return store.claim(scope, now, now.minus(properties.window()), now.minus(properties.abandonedAfter()))
                .flatMap(claimed -> claimed
                        ? first(exchange, chain, scope)
                        : store.find(scope)
                                .map(Optional::of)
                                .defaultIfEmpty(Optional.empty())
                                .flatMap(found -> follow(exchange, chain, scope, deadline, found)));
    }

    /**
     * What a request does when another claimed its key first. Decided on the lookup's result, not
     * on emptiness downstream: every branch completes empty once it has answered, and a
     * {@code switchIfEmpty} after them ran the request again on a response already sent.
     */
    private Mono<Void> follow(ServerWebExchange exchange, WebFilterChain chain, String scope, Instant deadline,
            Optional<IdempotencyStore.Recorded> found) {
        if (found.isEmpty()) {
            // released between our claim and the lookup: the first failed, so run it ourselves
            return run(exchange, chain, scope, deadline);
        }
        return found.get().inProgress()
                ? waitForFirst(exchange, chain, scope, deadline)
                : replay(exchange.getResponse(), found.get());
    }

    private Mono<Void> waitForFirst(ServerWebExchange exchange, WebFilterChain chain, String scope, Instant deadline) {
        if (clock.instant().isAfter(deadline)) {
            return Mono.error(ApiException.conflict("A request with this idempotency-key is still being processed"));
        }
        return Mono.delay(POLL).then(Mono.defer(() -> run(exchange, chain, scope, deadline)));
    }

    private Mono<Void> first(ServerWebExchange exchange, WebFilterChain chain, String scope) {
        var recording = new RecordingResponse(exchange.getResponse(), scope);
        return chain.filter(exchange.mutate().response(recording).build())
                .onErrorResume(error -> store.release(scope).then(Mono.error(error)))
                .then(Mono.defer(() -> recording.finished.get() ? Mono.<Void>empty() : store.release(scope)))
                .doOnCancel(() -> {
                    if (!recording.finished.get()) {
                        store.release(scope).subscribe(null, e -> log.warn("Could not release idempotency key: {}", e.toString()));
                    }
                });
    }

    private static Mono<Void> replay(ServerHttpResponse response, IdempotencyStore.Recorded recorded) {
        response.setStatusCode(HttpStatusCode.valueOf(recorded.status()));
        if (recorded.contentType() != null) {
            response.getHeaders().setContentType(MediaType.parseMediaType(recorded.contentType()));
        }
        response.getHeaders().set(REPLAYED, "true");
        if (recorded.body().length == 0) {
            return response.setComplete();
        }
        return response.writeWith(Mono.just(response.bufferFactory().wrap(recorded.body())));
    }

    /** Records the response on its way out; a 5xx releases the key instead. */
    private final class RecordingResponse extends ServerHttpResponseDecorator {

        private final String scope;
        private final AtomicBoolean finished = new AtomicBoolean();

        RecordingResponse(ServerHttpResponse delegate, String scope) {
            super(delegate);
            this.scope = scope;
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            return DataBufferUtils.join(body).flatMap(joined -> {
                byte[] bytes = new byte[joined.readableByteCount()];
                joined.read(bytes);
                DataBufferUtils.release(joined);
                return remember(bytes).then(super.writeWith(Mono.just(bufferFactory().wrap(bytes))));
            });
        }

        @Override
        public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
            return writeWith(Flux.from(body).concatMap(Flux::from));
        }

        @Override
        public Mono<Void> setComplete() {
            return (finished.get() ? Mono.<Void>empty() : remember(new byte[0])).then(super.setComplete());
        }

        private Mono<Void> remember(byte[] body) {
            if (!finished.compareAndSet(false, true)) {
                return Mono.empty();
            }
            HttpStatusCode status = getStatusCode() == null ? HttpStatus.OK : getStatusCode();
            if (status.is5xxServerError()) {
                return store.release(scope);
            }
            MediaType contentType = getHeaders().getContentType();
            return store.record(scope, status.value(), contentType == null ? null : contentType.toString(), body)
                    .onErrorResume(error -> {
                        // The response itself is fine; a retry will simply run the request again.
                        log.warn("Could not record idempotent response: {}", error.toString());
                        return store.release(scope).onErrorResume(e -> Mono.empty());
                    });
        }
    }

    /**
     * One digest per thread, reused: {@code MessageDigest.getInstance} on every request was 15 % of
     * ingest's allocations under load (JDK 25 checks the algorithm constraints on each call).
     */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    });

    private static String digest(String text) {
        // digest() completes and resets the instance, so the next use on this thread starts clean
        return HexFormat.of().formatHex(SHA_256.get().digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
