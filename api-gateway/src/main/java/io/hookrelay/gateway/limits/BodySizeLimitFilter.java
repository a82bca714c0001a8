package io.hookrelay.gateway.limits;

import io.hookrelay.gateway.api.ErrorResponses;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * 413 for a body over the limit: decided from {@code Content-Length} before anything reaches a
 * service (the rest of a moderately large body is read and dropped first, so the client is
 * listening when the answer comes), and for a chunked body as soon as the bytes counted pass the
 * limit (the body is streamed to the service, never buffered whole here).
 */
@Component
@Order(BodySizeLimitFilter.ORDER)
class BodySizeLimitFilter implements WebFilter {

    static final int ORDER = -250;
    /** Bodies up to this many times the limit are read to the end before the 413 is sent. */
    private static final long DRAIN_FACTOR = 16;

    private final long limit;

    BodySizeLimitFilter(RequestLimitProperties properties) {
        this.limit = properties.maxBodySize().toBytes();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var request = exchange.getRequest();
        long declared = request.getHeaders().getContentLength();
        if (declared > limit) {
            var tooLarge = new BodyTooLargeException(limit);
            Mono<Void> answer = ErrorResponses.write(exchange, tooLarge.status(), tooLarge.code(), tooLarge.getMessage());
            if (declared <= limit * DRAIN_FACTOR) {
                // read (and drop) the rest first: closing on a client still sending makes its TCP stack
                // throw our answer away, and it would see a reset instead of the 413
                return request.getBody().doOnNext(DataBufferUtils::release).then(answer);
            }
            // absurdly large: not worth reading; answer and close
            exchange.getResponse().getHeaders().setConnection("close");
            return answer;
        }
        if (declared >= 0) {
            return chain.filter(exchange);
        }
        var counted = new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                var seen = new AtomicLong();
                return super.getBody().handle((buffer, sink) -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > limit) {
                        DataBufferUtils.release(buffer);
                        sink.error(new BodyTooLargeException(limit));
                    } else {
                        sink.next(buffer);
                    }
                });
            }
        };
        return chain.filter(exchange.mutate().request(counted).build());
    }
}
