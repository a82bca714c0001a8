package io.hookrelay.gateway.limits;

import io.hookrelay.gateway.api.GatewayException;
import org.springframework.http.HttpStatus;

/** A request body over {@link RequestLimitProperties#maxBodySize()}. */
final class BodyTooLargeException extends GatewayException {

    BodyTooLargeException(long limit) {
        super(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large", "Request body is larger than " + limit + " bytes");
    }
}
