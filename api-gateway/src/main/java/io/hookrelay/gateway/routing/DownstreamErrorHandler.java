package io.hookrelay.gateway.routing;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Errors the gateway itself produces, in Svix's {@code {code, detail}} shape: an unreachable or
 * slow service is a 503 with {@code Retry-After}, an unknown path a 404.
 */
@Component
@Order(-2)
class DownstreamErrorHandler implements WebExceptionHandler {

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        var response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(error);
        }
        HttpStatusCode status;
        String code;
        String detail;
        if (causedBy(error, ConnectException.class) || causedBy(error, TimeoutException.class)
                || causedBy(error, io.netty.channel.ConnectTimeoutException.class)) {
            status = HttpStatus.SERVICE_UNAVAILABLE;
            code = "service_unavailable";
            detail = "A HookRelay service is unavailable; retry shortly";
            response.getHeaders().set(HttpHeaders.RETRY_AFTER, "5");
        } else if (error instanceof ResponseStatusException statusError) {
            status = statusError.getStatusCode();
            code = status.value() == 404 ? "not_found" : status.is4xxClientError() ? "client_error" : "server_error";
            detail = statusError.getReason() != null ? statusError.getReason() : "Request failed";
        } else {
            status = HttpStatus.BAD_GATEWAY;
            code = "bad_gateway";
            detail = "The gateway could not complete the request";
        }
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        byte[] body = ("{\"code\":\"" + code + "\",\"detail\":\"" + detail.replace("\"", "'") + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
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
