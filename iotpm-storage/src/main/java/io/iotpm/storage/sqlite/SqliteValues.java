package io.iotpm.storage.sqlite;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/** How values are stored: instants as epoch nanoseconds in a 64-bit integer, NaN as SQL NULL. */
final class SqliteValues {

    private static final Instant MIN_INSTANT = instant(Long.MIN_VALUE);
    private static final Instant MAX_INSTANT = instant(Long.MAX_VALUE);

    private SqliteValues() {
    }

    /** Binds {@code v}, NaN as NULL. */
    static void setDouble(PreparedStatement ps, int i, double v) throws SQLException {
        if (Double.isNaN(v)) {
            ps.setNull(i, Types.REAL);
        } else {
            ps.setDouble(i, v);
        }
    }

    /**
     * @return {@code t} in epoch nanoseconds
     * @throws IllegalArgumentException outside 1677..2262
     */
    static long epochNanos(Instant t) {
        try {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("timestamp " + t + " is outside what SQLite storage holds"
                    + " (1677-09-21 to 2262-04-11, epoch nanoseconds in 64 bits)", e);
        }
    }

    /** @return {@code t} in epoch nanoseconds, clamped to what 64 bits hold (for query bounds) */
    static long clampNanos(Instant t) {
        if (t.isBefore(MIN_INSTANT)) {
            return Long.MIN_VALUE;
        }
        if (t.isAfter(MAX_INSTANT)) {
            return Long.MAX_VALUE;
        }
        return epochNanos(t);
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
