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
}
