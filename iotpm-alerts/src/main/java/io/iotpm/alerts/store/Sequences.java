package io.iotpm.alerts.store;

import java.util.regex.Pattern;

/**
 * The argument checks every {@link AlertStore} shares, so each implementation rejects the same
 * values with the same message.
 */
public final class Sequences {

    private static final Pattern NAME = Pattern.compile("[a-z_]{1,32}");

    private Sequences() {
    }

    /**
     * @param sequence a sequence name
     * @param count    how many ids are asked for
     * @throws IllegalArgumentException if the name is not {@code [a-z_]{1,32}} or the count is below 1
     */
    public static void check(String sequence, int count) {
        if (sequence == null || !NAME.matcher(sequence).matches()) {
            throw new IllegalArgumentException("sequence name must match [a-z_]{1,32}, but was '" + sequence + "'");
        }
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, but was " + count);
        }
    }

    /**
     * @param id an id to store
     * @throws IllegalArgumentException if it is not positive
     */
    public static void checkId(long id) {
        if (id < 1) {
            throw new IllegalArgumentException("id must be >= 1 (assigned by the manager), but was " + id);
        }
    }
}
