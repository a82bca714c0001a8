package io.hookrelay.gateway.api;

import io.hookrelay.frontdoor.DatabaseErrors;
import io.hookrelay.frontdoor.OutcomeUnknown;
import java.io.IOException;
import java.net.ConnectException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.resource.NoResourceFoundException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;

/**
 * Errors the gateway produces, in Svix's {@code {code, detail}} shape: its own refusals
 * ({@link GatewayException}), an unreachable service (503 with {@code Retry-After}), a service that
 * lost the connection or did not answer in time (see {@link #lostOrLate}), its own token database
 * unavailable (503), a bad request to the gateway's own API (400). Nothing a client sends becomes a
 * 5xx here, and a failure between the gateway and a service is never a 500.
 */
@Component
@Order(-2)
class GatewayErrorHandler implements WebExceptionHandler {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(GatewayErrorHandler.class);
    private static final String RETRY_AFTER_SECONDS = "5";
    private static final Set<HttpMethod> CHANGES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        var response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(error);
        }
        if (error instanceof GatewayException refusal) {
            return ErrorResponses.write(exchange, refusal.status(), refusal.code(), refusal.getMessage());
        }
        if (causedBy(error, ConnectException.class) || causedBy(error, io.netty.channel.ConnectTimeoutException.class)) {
            response.getHeaders().set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
            return ErrorResponses.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable",
                    "A HookRelay service is unavailable; retry shortly");
        }
        if (DatabaseErrors.nulCharacter(error)) {
            return ErrorResponses.write(exchange, HttpStatus.BAD_REQUEST, "invalid_text",
                    "Text must not contain the NUL character (\\u0000)");
        }
        DatabaseErrors.Outage outage = DatabaseErrors.outage(error);
        if (outage != null
                || causedBy(error, org.springframework.dao.DataAccessResourceFailureException.class)
                || causedBy(error, org.springframework.dao.TransientDataAccessResourceException.class)) {
            // the gateway's own database (tokens): nothing the client did; the request can be repeated
            return databaseOutage(exchange, outage);
        }
        if (error instanceof ServerWebInputException input) {
            return ErrorResponses.write(exchange, HttpStatus.BAD_REQUEST, "bad_request",
                    input.getReason() == null ? "Malformed request" : input.getReason());
        }
        if (error instanceof NoResourceFoundException) {
            // its reason repeats the request's URL and speaks of Spring's static resources
            return ErrorResponses.write(exchange, HttpStatus.NOT_FOUND, "not_found", "No such operation in the API");
        }
        if (error instanceof ResponseStatusException statusError && statusError.getStatusCode().is4xxClientError()) {
            int status = statusError.getStatusCode().value();
            String code = switch (status) {
                case 404 -> "not_found";
                case 405 -> "method_not_allowed";
                case 413 -> "payload_too_large";
                case 415 -> "unsupported_media_type";
                default -> "client_error";
            };
            return ErrorResponses.write(exchange, statusError.getStatusCode(), code,
                    statusError.getReason() != null ? statusError.getReason() : "Request failed");
        }
        boolean timedOut = causedBy(error, TimeoutException.class)
                || (error instanceof ResponseStatusException e && e.getStatusCode().value() == 504);
        // after the client's own errors: a body the client failed to send is its 400, not our 503
        if (timedOut || causedBy(error, IOException.class) || causedBy(error, AbortedException.class)) {
            return lostOrLate(exchange, timedOut);
        }
        log.error("Unexpected error answering {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), error);
        return ErrorResponses.write(exchange, HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
                "The gateway could not complete the request");
    }

    /**
     * The request may have reached the service: the connection was reset or closed after (or
     * while) the gateway sent it, or no answer came in time. A change (POST, PUT, PATCH, DELETE)
     * may then have been made, so the answer says so: 503 with {@code Retry-After}, and a retry
     * with the same {@code idempotency-key} is safe (ingest replays the first outcome). A read
     * changed nothing: a timed-out one keeps its 504, a lost one is a plain 503; both say retry.
     * A request that provably never reached the service (connection refused) is handled above.
     */
    private Mono<Void> lostOrLate(ServerWebExchange exchange, boolean timedOut) {
        var request = exchange.getRequest();
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        if (CHANGES.contains(request.getMethod())) {
            log.warn("{} {}: the service {}; answered 503 (the request may have been accepted)", request.getMethod(),
                    request.getPath(), timedOut ? "did not answer in time" : "closed the connection");
            return ErrorResponses.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable", OutcomeUnknown.DETAIL);
        }
        return timedOut
                ? ErrorResponses.write(exchange, HttpStatus.GATEWAY_TIMEOUT, "gateway_timeout",
                        "A HookRelay service did not answer in time; retry shortly")
                : ErrorResponses.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable",
                        "A HookRelay service closed the connection before answering; retry shortly");
    }

    /**
     * The gateway's own database (tokens, issued and checked) cannot serve the request: read-only,
     * full, restarting or unreachable. A token write whose connection was lost may have been made,
     * and the client is told to check (the services say the same of a change other than a message
     * creation); anything else changed nothing.
     */
    private Mono<Void> databaseOutage(ServerWebExchange exchange, DatabaseErrors.Outage outage) {
        var request = exchange.getRequest();
        log.warn("{} {}: the gateway's database could not serve it ({}); answered 503", request.getMethod(),
                request.getPath(), outage == null ? "unavailable" : outage);
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        // token writes keep no idempotency key: a lost one is not safe to repeat blindly
        String detail = outage == DatabaseErrors.Outage.LOST && CHANGES.contains(request.getMethod())
                ? "The request may have been carried out: its outcome is unknown. Check before repeating it"
                : "HookRelay cannot verify or store tokens right now; retry shortly";
        return ErrorResponses.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable", detail);
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
