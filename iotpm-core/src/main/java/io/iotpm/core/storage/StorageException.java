package io.iotpm.core.storage;

/**
 * A store could not do what was asked for a reason that is not the caller's input: an I/O or
 * database error, a file that is not a store of the expected kind, or stored data that fails
 * validation (a corrupt row). The message names the store location and, for corrupt data, the file
 * and line. When a write throws this, nothing of that write is stored.
 */
public class StorageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the store location
     */
    public StorageException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the store location
     * @param cause   the underlying error
     */
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
