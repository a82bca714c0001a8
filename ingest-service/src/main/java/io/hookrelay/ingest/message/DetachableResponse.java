package io.hookrelay.ingest.message;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The response as the accept path sees it, until either the path starts its answer
 * ({@link #attach}: status, headers and commit actions go to the real response) or the deadline
 * answers instead ({@link #detach}: the path's answer is swallowed). Until then status and headers
 * are kept here, so the path never touches a response the deadline has already sent.
 */
final class DetachableResponse extends ServerHttpResponseDecorator {

    private static final int OPEN = 0;
    private static final int ATTACHED = 1;
    private static final int DETACHED = 2;

    private final AtomicInteger state = new AtomicInteger(OPEN);
    private final HttpHeaders headers = new HttpHeaders();
    private final List<Supplier<? extends Mono<Void>>> beforeCommit = new ArrayList<>();
    private HttpStatusCode status;

    DetachableResponse(ServerHttpResponse delegate) {
        super(delegate);
    }

    /** True if the path's own answer goes to the client (now or already). */
    boolean attach() {
        if (!state.compareAndSet(OPEN, ATTACHED)) {
            return state.get() == ATTACHED;
        }
        var real = getDelegate();
        if (status != null) {
            real.setStatusCode(status);
        }
        real.getHeaders().putAll(headers);
        beforeCommit.forEach(real::beforeCommit);
        return true;
    }

    /** True if the deadline answers: whatever the path writes from now on reaches nobody. */
    boolean detach() {
        return state.compareAndSet(OPEN, DETACHED);
    }

    private boolean open() {
        return state.get() == OPEN;
    }

    @Override
    public boolean setStatusCode(HttpStatusCode status) {
        if (open()) {
            this.status = status;
            return true;
        }
        return state.get() == ATTACHED && super.setStatusCode(status);
    }

    @Override
    public HttpStatusCode getStatusCode() {
        return state.get() == ATTACHED ? super.getStatusCode() : status;
    }

    @Override
    public HttpHeaders getHeaders() {
        return state.get() == ATTACHED ? super.getHeaders() : headers;
    }

    @Override
    public void beforeCommit(Supplier<? extends Mono<Void>> action) {
        if (open()) {
            beforeCommit.add(action);
        } else if (state.get() == ATTACHED) {
            super.beforeCommit(action);
        }
    }

    @Override
    public boolean isCommitted() {
        return state.get() == DETACHED || super.isCommitted();
    }

    @Override
    public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
        return attach() ? super.writeWith(body) : Flux.from(body).doOnNext(DataBufferUtils::release).then();
    }

    @Override
    public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
        return attach()
                ? super.writeAndFlushWith(body)
                : Flux.from(body).concatMap(Flux::from).doOnNext(DataBufferUtils::release).then();
    }

    @Override
    public Mono<Void> setComplete() {
        return attach() ? super.setComplete() : Mono.empty();
    }
}
