package io.iotpm.storage.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Up to {@code max} read connections, opened on demand and query-only, which WAL lets run beside
 * the writer. A read takes an idle one, opens a new one while under the limit, or waits.
 */
final class ReaderPool {

    /** A read on a connection of the pool. */
    @FunctionalInterface
    interface ReadAction<T> {
        T run(SqliteReader r) throws SQLException;
    }

    private final Path file;
    private final int busyTimeoutMs;
    private final String location;
    private final int maxReaders;
    private final BlockingQueue<SqliteReader> idleReaders;
    private final List<SqliteReader> allReaders = new ArrayList<>();

    ReaderPool(Path file, int busyTimeoutMs, int maxReaders, String location) {
        this.file = file;
        this.busyTimeoutMs = busyTimeoutMs;
        this.location = location;
        this.maxReaders = maxReaders;
        this.idleReaders = new ArrayBlockingQueue<>(maxReaders);
    }

    /** Runs {@code action} on a connection of the pool, then returns it to the pool. */
    <T> T read(ReadAction<T> action) throws SQLException, InterruptedException {
        SqliteReader r = idleReaders.poll();
        if (r == null) {
            r = newReaderOrWait();
        }
        try {
            return action.run(r);
        } finally {
            idleReaders.add(r);
        }
    }

    private SqliteReader newReaderOrWait() throws SQLException, InterruptedException {
        synchronized (allReaders) {
            if (allReaders.size() < maxReaders) {
                Connection c = SqliteConnections.connect(file, busyTimeoutMs);
                try (Statement st = c.createStatement()) {
                    st.execute("PRAGMA query_only=1");
                } catch (SQLException e) {
                    SqliteConnections.closeQuietly(c);
                    throw e;
                }
                SqliteReader r = new SqliteReader(c, location);
                allReaders.add(r);
                return r;
            }
        }
        return idleReaders.take();
    }

    /** Closes every connection; call once no read can run. */
    void closeAll() {
        synchronized (allReaders) {
            for (SqliteReader r : allReaders) {
                SqliteConnections.closeQuietly(r.c);
            }
            allReaders.clear();
        }
        idleReaders.clear();
    }
}
