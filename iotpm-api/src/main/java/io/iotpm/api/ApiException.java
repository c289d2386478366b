package io.iotpm.api;

/**
 * An error that becomes an HTTP response {@code {"error": code, "message": ..., "field": ...}}.
 * Thrown by handlers; the server's exception handler renders it. Messages are for clients: they
 * never carry stack traces or internal details.
 */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String field;

    ApiException(int status, String code, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    static ApiException badRequest(String field, String message) {
        return new ApiException(400, "invalid_request", message, field);
    }

    static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", message, null);
    }

    static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message, null);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message, null);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String field() {
        return field;
    }
}
