package io.hookrelay.gateway.limits;

import io.hookrelay.gateway.api.ErrorResponses;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * 413 for a body over the limit: at once when {@code Content-Length} says so, and for a chunked
 * body as soon as the bytes counted pass the limit (the body is streamed to the service, never
 * buffered whole here).
 */
@Component
@Order(BodySizeLimitFilter.ORDER)
class BodySizeLimitFilter implements WebFilter {

    static final int ORDER = -250;

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
            // the client may still be sending: close the connection after answering
            exchange.getResponse().getHeaders().setConnection("close");
            return ErrorResponses.write(exchange, tooLarge.status(), tooLarge.code(), tooLarge.getMessage());
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
                        org.springframework.core.io.buffer.DataBufferUtils.release(buffer);
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
