package io.iotpm.storage.sqlite;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/** Opening and closing connections to a store's file, and SQLite's errors in a store's words. */
final class SqliteConnections {

    // The store's logger, so hosts keep configuring one category per backend.
    private static final Logger LOG = LoggerFactory.getLogger(SqliteStorage.class);

    private SqliteConnections() {
    }

    /** @return a new connection in SQLite's multi-thread mode, waiting up to {@code busyTimeoutMs} for locks */
    static Connection connect(Path file, int busyTimeoutMs) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(busyTimeoutMs);
        // Multi-thread mode: SQLite skips its per-connection mutex on every call (measured ~10%
        // of an insert's CPU). Safe because no connection is ever used by two threads at once:
        // the writer is used only under its lock, a reader only by the thread that took it from
        // the pool, and close() runs after every call has left (lifecycle lock).
        config.setOpenMode(SQLiteOpenMode.NOMUTEX);
        return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    /** @return the error's message, explained when the file is not a database */
    static String describe(SQLException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("SQLITE_NOTADB") || m.contains("not a database")) {
            return "the file is not an SQLite database (" + m + "); it was not modified";
        }
        return m;
    }

    static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing {} failed", c, e);
            }
        }
    }
}
