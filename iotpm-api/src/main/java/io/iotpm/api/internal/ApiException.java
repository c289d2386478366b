package io.iotpm.api.internal;

/**
 * An error that becomes an HTTP response {@code {"error": code, "message": ..., "field": ...}}.
 * Thrown by handlers; the server's exception handler renders it. Messages are for clients: they
 * never carry stack traces or internal details.
 */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String field;

    /**
     * @param status  the HTTP status
     * @param code    the {@code error} code, e.g. {@code not_found}
     * @param message the client-facing message
     * @param field   the request field or parameter at fault, or {@code null}
     */
    public ApiException(int status, String code, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    /** @return a 400 {@code invalid_request} naming the field (or {@code null}) at fault */
    public static ApiException badRequest(String field, String message) {
        return new ApiException(400, "invalid_request", message, field);
    }

    /** @return a 401 {@code unauthorized} */
    public static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", message, null);
    }

    /** @return a 403 {@code forbidden} */
    public static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message, null);
    }

    /** @return a 404 {@code not_found} */
    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message, null);
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return the {@code error} code */
    public String code() {
        return code;
    }

    /** @return the request field or parameter at fault, or {@code null} */
    public String field() {
        return field;
    }
}
