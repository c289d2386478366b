package io.iotpm.core;

/**
 * Validation of device ids. A device id becomes a file name (CSV storage), an SQL value and a URL
 * path segment, so only {@code [A-Za-z0-9_.:-]{1,64}} is accepted, and never a run of dots that a
 * file system would read as the current or parent directory.
 */
public final class DeviceIds {

    /** Longest accepted device id. */
    public static final int MAX_LENGTH = 64;

    private DeviceIds() {
    }

    /**
     * @param id a candidate device id, possibly {@code null}
     * @return whether {@link #requireValid(String)} would accept it
     */
    public static boolean isValid(String id) {
        return problem(id) == null;
    }

    /**
     * Checks a device id.
     *
     * @param id the device id
     * @return {@code id}, for chaining
     * @throws IllegalArgumentException naming the id and the rule it breaks
     */
    public static String requireValid(String id) {
        String problem = problem(id);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return id;
    }

    private static String problem(String id) {
        if (id == null) {
            return "device id must not be null";
        }
        int n = id.length();
        if (n == 0 || n > MAX_LENGTH) {
            return "device id must be 1 to " + MAX_LENGTH + " characters, but was " + n + " characters: '"
                    + abbreviate(id) + "'";
        }
        boolean onlyDots = true;
        char previous = 0;
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == ':' || c == '-';
            if (!ok) {
                return "device id may contain only letters, digits, '_', '.', ':' and '-', but '"
                        + abbreviate(id) + "' contains " + describe(c) + " at index " + i;
            }
            if (c == '.' && previous == '.') {
                return "device id must not contain '..', but was '" + id + "'";
            }
            onlyDots &= c == '.';
            previous = c;
        }
        if (onlyDots) {
            return "device id must not consist only of dots, but was '" + id + "'";
        }
        return null;
    }

    private static String describe(char c) {
        return c < 0x20 || c > 0x7e ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }

    private static String abbreviate(String id) {
        String printable = id.codePoints().limit(80)
                .collect(StringBuilder::new, (b, cp) -> {
                    if (cp < 0x20 || cp == 0x7f) {
                        b.append('?');
                    } else {
                        b.appendCodePoint(cp);
                    }
                }, StringBuilder::append).toString();
        return id.length() > 80 ? printable + "..." : printable;
    }
}
