package io.iotpm.core.json;

/**
 * JSON that cannot become a reading or an event: malformed, partial, an unknown channel, a value of
 * the wrong type. The message names the offending field; {@link #field()} gives it to code (the REST
 * API puts it in its HTTP 400 body).
 */
public final class InvalidJsonException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param field   the offending field, or {@code null} when the document itself is malformed
     * @param message what is wrong
     */
    public InvalidJsonException(String field, String message) {
        super(message);
        this.field = field;
    }

    /**
     * @param field   the offending field, or {@code null}
     * @param message what is wrong
     * @param cause   the parser's error
     */
    public InvalidJsonException(String field, String message, Throwable cause) {
        super(message, cause);
        this.field = field;
    }

    /** @return the offending field, or {@code null} when the document itself is malformed */
    public String field() {
        return field;
    }
}
