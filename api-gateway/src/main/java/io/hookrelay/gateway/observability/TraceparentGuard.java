package io.hookrelay.gateway.observability;

import io.hookrelay.events.Traceparent;
import java.util.List;
import org.springframework.boot.webflux.autoconfigure.WebHttpHandlerBuilderCustomizer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

/**
 * Holds a client's trace context to {@link TraceContext#continuable}'s rules before the tracer
 * reads it: the server observation (and so the gateway's span) starts outside every WebFilter, so
 * the check wraps the whole handler. A {@code traceparent} that fails them — or comes more than
 * once — is removed with its {@code tracestate}, and the tracer starts a new trace. Requests
 * without one, or with a good one, pass untouched (no copy of their headers).
 */
@Component
class TraceparentGuard implements WebHttpHandlerBuilderCustomizer {

    private static final String TRACESTATE = "tracestate";

    @Override
    public void customize(WebHttpHandlerBuilder builder) {
        builder.httpHandlerDecorator(handler -> (request, response) -> handler.handle(guarded(request), response));
    }

    static ServerHttpRequest guarded(ServerHttpRequest request) {
        HttpHeaders headers = request.getHeaders();
        List<String> traceparents = headers.get(Traceparent.HEADER);
        if (traceparents == null
                ? !headers.containsHeader(TRACESTATE)
                : traceparents.size() == 1 && TraceContext.continuable(traceparents.getFirst())) {
            return request;
        }
        return request.mutate().headers(h -> {
            h.remove(Traceparent.HEADER);
            h.remove(TRACESTATE);
        }).build();
    }
}
