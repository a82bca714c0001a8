package io.hookrelay.gateway.api;

import org.springframework.http.HttpStatusCode;

/** An error the gateway answers itself, rendered as {@code {code, detail}} with its status. */
public class GatewayException extends RuntimeException {

    private final HttpStatusCode status;
    private final String code;

    public GatewayException(HttpStatusCode status, String code, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
    }

    public HttpStatusCode status() {
        return status;
    }

    public String code() {
        return code;
    }
}
