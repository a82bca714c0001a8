package io.hookrelay.support.api;

import io.hookrelay.frontdoor.DatabaseErrors;
import io.hookrelay.frontdoor.MessageCreation;
import io.hookrelay.frontdoor.OutcomeUnknown;
import io.hookrelay.support.reactor.DroppedErrors;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.reactive.resource.NoResourceFoundException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place where failures become HTTP responses, in the Svix error shapes: {@code {code,
 * detail}} for most errors and {@code {detail: [{loc, msg, type}]}} for 422 validation errors.
 * Client mistakes are 4xx; a database that cannot serve the request now is a 503 with
 * {@code Retry-After}, whose words say whether a change may have been made; only our own faults are
 * 500, and those never echo internals.
 */
@Order(-2)
public class ApiErrorHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);

    /** Changes: a lost database connection under one may have let it commit. */
    private static final Set<HttpMethod> CHANGES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

    /** How long a client should wait before retrying when the database cannot serve it. */
    private static final Duration DATABASE_RETRY_AFTER = Duration.ofSeconds(5);

    private final JsonMapper json;

    public ApiErrorHandler(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        var response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(error);
        }
        if (DroppedErrors.callerGone(error)) {
            // the caller hung up (the gateway stopped waiting: its accept time-out, its own
            // restart): nobody to answer, and nothing of ours failed. Was an ERROR with its stack
            // here, and passed on WebFlux would log a "500 Server Error" for it; the request's
            // metric says "aborted", as WebFlux's own handling of a client that went away does. The
            // status is never sent, but a status-less response counts as a 200 where answers are
            // counted as they commit (ingest's accept counters): it is what the caller was told by
            // whoever answered it instead, the gateway's 503
            response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
            log.debug("{} {}: the caller is gone ({}); no answer written", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(), error.toString());
            ServerRequestObservationContext.findCurrent(exchange.getAttributes())
                    .ifPresent(observation -> observation.setConnectionAborted(true));
            return Mono.empty();
        }
        Throwable answered = error instanceof ApiException ? error : databaseOutage(exchange, error);
        Rendered rendered = render(answered);
        if (answered instanceof ApiException.Unavailable unavailable) {
            // expected under overload: a clear answer for the client, not an error in our log
            response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(unavailable.retryAfterSeconds()));
        } else if (rendered.status().is5xxServerError()) {
            log.error("{} {} failed", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), error);
        }
        response.setStatusCode(rendered.status());
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        byte[] body = json.writeValueAsBytes(rendered.body());
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    private Rendered render(Throwable error) {
        return switch (error) {
            case ApiException.ValidationException e -> validation(List.of(item(e.field(), e.getMessage())));
            case ApiException e -> new Rendered(e.status(), Map.of("code", e.code(), "detail", e.getMessage()));
            case WebExchangeBindException e -> validation(e.getFieldErrors().stream()
                    .map(ApiErrorHandler::item)
                    .toList());
            case ServerWebInputException e when causedBy(e, DataBufferLimitException.class) -> new Rendered(
                    HttpStatus.CONTENT_TOO_LARGE, Map.of("code", "payload_too_large", "detail", "Request body is too large"));
            case ServerWebInputException e when causedBy(e, DecodingException.class) -> new Rendered(
                    HttpStatus.BAD_REQUEST, Map.of("code", "invalid_json", "detail", "Request body is not valid JSON: "
                            + rootMessage(e)));
            // its reason names the service's own address and Spring's resource handling
            case NoResourceFoundException e -> new Rendered(
                    HttpStatus.NOT_FOUND, Map.of("code", "not_found", "detail", "No such operation in the API"));
            case ResponseStatusException e -> new Rendered(
                    e.getStatusCode(), Map.of("code", codeFor(e.getStatusCode()), "detail", reason(e)));
            case Throwable e when DatabaseErrors.nulCharacter(e) -> new Rendered(HttpStatus.BAD_REQUEST, Map.of(
                    "code", "invalid_text", "detail", "Text must not contain the NUL character (\\u0000)"));
            default -> new Rendered(
                    HttpStatus.INTERNAL_SERVER_ERROR, Map.of("code", "internal_error", "detail", "Internal error"));
        };
    }

    private static Rendered validation(List<Map<String, Object>> items) {
        return new Rendered(HttpStatus.UNPROCESSABLE_CONTENT, Map.of("detail", items));
    }

    private static Map<String, Object> item(FieldError error) {
        return item(error.getField(), error.getDefaultMessage());
    }

    private static Map<String, Object> item(String field, String message) {
        return Map.of("loc", List.of("body", field), "msg", message == null ? "invalid value" : message, "type", "value_error");
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /**
     * PostgreSQL cannot serve the request now (read-only, disk full, restarting, unreachable: see
     * {@link DatabaseErrors}): a 503 with {@code Retry-After}, in place of {@code error}, whose
     * words say what a client may conclude. A change whose connection was lost may have been made:
     * for a request that creates a message the idempotency-key makes the retry safe; for others it
     * does not (their key is released on an error), so they are told to check. Any other error is
     * returned as it is.
     */
    private static Throwable databaseOutage(ServerWebExchange exchange, Throwable error) {
        DatabaseErrors.Outage outage = DatabaseErrors.outage(error);
        if (outage == null) {
            return error;
        }
        var request = exchange.getRequest();
        log.warn("{} {}: the database could not serve it ({}: {}); answered 503", request.getMethod(), request.getPath(),
                outage, rootMessage(error));
        String detail;
        if (outage == DatabaseErrors.Outage.LOST && MessageCreation.is(request.getMethod().name(), request.getPath().value())) {
            detail = OutcomeUnknown.DETAIL; // its key is claimed with the message (ADR 0029): the retry is safe
        } else if (outage == DatabaseErrors.Outage.LOST && CHANGES.contains(request.getMethod())) {
            detail = "The request may have been carried out: its outcome is unknown. Check before repeating it";
        } else {
            // a message creation the database refused outright says so where it is stored (MessageService)
            detail = "HookRelay's database cannot serve this request right now; retry shortly";
        }
        return ApiException.unavailable("service_unavailable", detail, DATABASE_RETRY_AFTER);
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : root.getMessage();
        int firstLine = message.indexOf('\n');
        return firstLine < 0 ? message : message.substring(0, firstLine);
    }

    private static String reason(ResponseStatusException e) {
        return e.getReason() != null ? e.getReason() : HttpStatus.valueOf(e.getStatusCode().value()).getReasonPhrase();
    }

    private static String codeFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            default -> status.is4xxClientError() ? "client_error" : "server_error";
        };
    }

    private record Rendered(HttpStatusCode status, Object body) {}
}
