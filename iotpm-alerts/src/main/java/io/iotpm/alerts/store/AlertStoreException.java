package io.iotpm.alerts.store;

/**
 * An {@link AlertStore} could not read or write (database unreachable, disk full, file not a
 * database). The manager keeps changes from ingest in memory and writes them again later; a person's
 * change (acknowledge, resolve, silence, rule edit) fails with this exception and is not applied.
 */
public class AlertStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the store
     * @param cause   the underlying error
     */
    public AlertStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
