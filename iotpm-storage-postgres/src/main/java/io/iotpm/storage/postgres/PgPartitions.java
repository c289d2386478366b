package io.iotpm.storage.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The daily range partitions of {@code readings}: {@code readings_20260101} holds
 * {@code [day, day + 1)} in epoch nanoseconds. A write first makes sure every day it touches has a
 * partition (creating the newest day's next {@value #AHEAD} days too, so a live stream finds
 * tomorrow's partition ready); retention drops whole partitions. Which days exist is cached and
 * reloaded from the catalog when another JVM's retention made the cache stale.
 */
final class PgPartitions {

    static final long NANOS_PER_DAY = 86_400_000_000_000L;
    /** Days created ahead of the newest day written. */
    static final int AHEAD = 2;
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'readings_'yyyyMMdd");

    private final ConcurrentSkipListSet<Long> days = new ConcurrentSkipListSet<>();

    static long day(long nanos) {
        return Math.floorDiv(nanos, NANOS_PER_DAY);
    }

    static String name(long day) {
        return NAME.format(LocalDate.ofEpochDay(day));
    }

    /** @return whether every day in {@code needed} has a partition, as far as the cache knows */
    boolean covers(NavigableSet<Long> needed) {
        return days.containsAll(needed);
    }

    /** Forgets what the cache knows, after an insert found a partition missing. */
    void invalidate() {
        days.clear();
    }

    /** Creates the missing partitions for {@code needed} (plus days ahead) in one transaction. */
    void ensure(Connection c, NavigableSet<Long> needed) throws SQLException {
        TreeSet<Long> wanted = new TreeSet<>(needed);
        long newest = needed.last();
        for (int k = 1; k <= AHEAD; k++) {
            wanted.add(newest + k);
        }
        c.setAutoCommit(false);
        try {
            PgSchema.lock(c);
            reload(c);
            try (Statement st = c.createStatement()) {
                for (long d : wanted) {
                    if (!days.contains(d)) {
                        st.execute("CREATE TABLE " + name(d) + " PARTITION OF readings FOR VALUES FROM ("
                                + d * NANOS_PER_DAY + ") TO (" + (d + 1) * NANOS_PER_DAY + ")");
                    }
                }
            }
            c.commit();
            days.addAll(wanted);
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            days.clear();
            throw e;
        }
    }

    private void reload(Connection c) throws SQLException {
        days.clear();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                     + " WHERE i.inhparent = to_regclass('readings')")) {
            while (rs.next()) {
                String n = rs.getString(1);
                if (n.matches("readings_\\d{8}")) {
                    days.add(LocalDate.parse(n, NAME).toEpochDay());
                }
            }
        }
    }

    /**
     * Deletes readings before {@code cutoff} in the caller's transaction: partitions wholly before it
     * are dropped (no row-by-row delete, no vacuum), the one that straddles it is deleted from.
     *
     * @return readings deleted per device
     */
    Map<String, Long> deleteBefore(Connection c, long cutoff) throws SQLException {
        reload(c);
        Map<String, Long> deleted = new HashMap<>();
        for (long d : days) {
            if ((d + 1) * NANOS_PER_DAY > cutoff) {
                break;
            }
            try (Statement st = c.createStatement()) {
                count(st.executeQuery("SELECT device, count(*) FROM " + name(d) + " GROUP BY device"), deleted);
                st.execute("DROP TABLE " + name(d));
            }
        }
        try (PreparedStatement ps = c.prepareStatement("WITH gone AS (DELETE FROM readings WHERE ts < ?"
                + " RETURNING device) SELECT device, count(*) FROM gone GROUP BY device")) {
            ps.setLong(1, cutoff);
            count(ps.executeQuery(), deleted);
        }
        return deleted;
    }

    private static void count(ResultSet rs, Map<String, Long> into) throws SQLException {
        try (rs) {
            while (rs.next()) {
                into.merge(rs.getString(1), rs.getLong(2), Long::sum);
            }
        }
    }

    /** Drops days from the cache after a committed retention (they were dropped). */
    void forgetBefore(long cutoff) {
        days.headSet(day(cutoff)).clear();
    }
}
