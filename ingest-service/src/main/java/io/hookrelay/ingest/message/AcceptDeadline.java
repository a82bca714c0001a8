package io.hookrelay.ingest.message;

import io.hookrelay.frontdoor.OutcomeUnknown;
import io.hookrelay.ingest.api.Routes;
import io.hookrelay.support.api.ApiException;
import io.hookrelay.ingest.groupcommit.GroupCommitProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * A request that creates a message (a message creation, a send-example) is answered within
 * {@link AcceptProperties#deadline()}, however long PostgreSQL takes: past it the client gets a 503 with {@code Retry-After} saying the message may
 * have been accepted (ADR 0021).
 *
 * <p>The deadline does not cancel the work. A commit already sent cannot be called back, so
 * cancelling would not make "not accepted" true; worse, it would release the request's
 * {@code idempotency-key} while its message may still commit, and the client's retry would store
 * a second one. The work therefore runs on to its end behind a {@link DetachableResponse}: its
 * answer is recorded for the key as usual but reaches nobody, and the retry gets it (or waits for
 * it). Around {@code IdempotencyFilter} for that reason.
 */
@Component
@Order(-1)
class AcceptDeadline implements WebFilter {

    private static final Logger log = LoggerFactory.getLogger(AcceptDeadline.class);

    private final Duration deadline;
    private final Counter passed;

    AcceptDeadline(AcceptProperties properties, GroupCommitProperties groupCommit, MeterRegistry meters) {
        if (groupCommit.maxWait().compareTo(properties.deadline()) >= 0) {
            // a request refused unstored by the group commit would be told "may have been accepted"
            throw new IllegalStateException("hookrelay.ingest.group-commit.max-wait (" + groupCommit.maxWait()
                    + ") must be shorter than hookrelay.ingest.accept.deadline (" + properties.deadline()
                    + "): a request that never reached the database must be refused as not stored first");
        }
        this.deadline = properties.deadline();
        this.passed = Counter.builder("hookrelay.messages.deadline-passed")
                .description("Message creations answered 503 at the accept deadline; each may have been stored")
                .register(meters);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!Routes.createsAMessage(exchange)) {
            return chain.filter(exchange);
        }
        var response = new DetachableResponse(exchange.getResponse());
        CompletableFuture<Void> work = chain.filter(exchange.mutate().response(response).build())
                .doOnError(error -> response.attach()) // the error handler answers on the real response
                .toFuture();
        return Mono.fromFuture(work, true)
                .timeout(deadline, Mono.defer(() -> response.detach() ? outcomeUnknown(exchange, work) : Mono.fromFuture(work, true)));
    }

    private Mono<Void> outcomeUnknown(ServerWebExchange exchange, CompletableFuture<Void> work) {
        passed.increment();
        log.warn("POST {}: no answer within the accept deadline ({}); answered 503, the message may have been accepted",
                exchange.getRequest().getPath(), deadline);
        work.whenComplete((done, error) -> {
            if (error != null) {
                log.info("POST {}: after its deadline, the accept failed: {}", exchange.getRequest().getPath(), error.toString());
            }
        });
        return Mono.error(ApiException.unavailable("service_unavailable", OutcomeUnknown.DETAIL, Duration.ofSeconds(1)));
    }
}
