package io.hookrelay.ingest.message;

import io.hookrelay.ingest.api.Routes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * {@code hookrelay.messages.accepted} and {@code hookrelay.messages.refused{reason}}: the answers
 * to {@code POST /api/v1/app/{app}/msg}, counted from outside the accept path (a filter that reads
 * the status as the answer is committed), so the group commit carries no metrics code. The reason is
 * a small fixed set derived from the status, never the application.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
class AcceptCounters implements WebFilter {

    private final Counter accepted;
    private final Counter invalid;
    private final Counter tooLarge;
    private final Counter notFound;
    private final Counter unavailable;
    private final Counter other;

    AcceptCounters(MeterRegistry meters) {
        this.accepted = Counter.builder("hookrelay.messages.accepted")
                .description("Messages accepted (202: stored durably, owed to every matching endpoint)")
                .register(meters);
        this.invalid = refused(meters, "invalid");
        this.tooLarge = refused(meters, "too_large");
        this.notFound = refused(meters, "not_found");
        this.unavailable = refused(meters, "unavailable");
        this.other = refused(meters, "other");
    }

    private static Counter refused(MeterRegistry meters, String reason) {
        return Counter.builder("hookrelay.messages.refused")
                .description("Message creations answered with an error, by reason")
                .tag("reason", reason)
                .register(meters);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!Routes.isMessageCreation(exchange)) {
            return chain.filter(exchange);
        }
        // Counted when the status line is committed: an answer written by the error handler (after
        // the chain has failed) has its real status by then, which doFinally would not see.
        exchange.getResponse().beforeCommit(() -> {
            HttpStatusCode status = exchange.getResponse().getStatusCode();
            counterFor(status == null ? 200 : status.value()).increment();
            return Mono.empty();
        });
        return chain.filter(exchange);
    }

    Counter counterFor(int status) {
        return switch (status) {
            case 200, 202 -> accepted;
            case 400, 422 -> invalid;
            case 413 -> tooLarge;
            case 404 -> notFound;
            case 500, 502, 503, 504 -> unavailable;
            default -> other;
        };
    }
}
