package io.hookrelay.support.api;

import org.springframework.http.HttpStatus;

/** A failure the client caused, rendered as a Svix-style error body {@code {code, detail}}. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;

    public ApiException(HttpStatus status, String code, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, "not_found", what + " not found");
    }

    public static ApiException conflict(String detail) {
        return new ApiException(HttpStatus.CONFLICT, "conflict", detail);
    }

    public static ApiException validation(String field, String message) {
        return new ValidationException(field, message);
    }

    /** A 503 with {@code Retry-After}: nothing was done, the client should try again later. */
    public static ApiException unavailable(String code, String detail, java.time.Duration retryAfter) {
        return new Unavailable(code, detail, retryAfter);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** A 422 about one body field, in the shape of Svix's {@code HTTPValidationError}. */
    public static final class ValidationException extends ApiException {
        private final String field;

        ValidationException(String field, String message) {
            super(HttpStatus.UNPROCESSABLE_CONTENT, "validation", message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** A 503 whose answer carries {@code Retry-After} (whole seconds, at least 1). */
    public static final class Unavailable extends ApiException {
        private final java.time.Duration retryAfter;

        Unavailable(String code, String detail, java.time.Duration retryAfter) {
            super(HttpStatus.SERVICE_UNAVAILABLE, code, detail);
            this.retryAfter = retryAfter;
        }

        public long retryAfterSeconds() {
            return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }
    }
}
