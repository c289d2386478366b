package io.iotpm.alerts.jdbc;

import io.iotpm.alerts.store.AlertStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Runs units of work on a connection. Over a URL it keeps one connection, used by one thread at a
 * time (alert writes are rare and small, so a pool would only add threads), and replaces it when a
 * call fails on a dead connection (a restarted PostgreSQL), retrying that call once. Over a host's
 * {@link DataSource} it borrows a connection per call.
 */
final class Connector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcAlertStore.class);

    /** A unit of work; it runs inside a transaction that commits when it returns. */
    interface Work<T> {
        T run(Session s) throws SQLException;
    }

    /** Most statements kept prepared per connection; more (unusual history filters) are prepared per call. */
    private static final int STATEMENT_CACHE = 64;

    /**
     * A connection for one unit of work. Over the kept connection, statements stay prepared across calls
     * (SQLite compiles a statement on every prepare, which cost more than the write itself); over a
     * data source they are closed when the call ends. Callers never close what {@link #prepare} returns.
     */
    static final class Session {
        private final Connection connection;
        private final Map<String, PreparedStatement> cache;
        private final List<PreparedStatement> transientStatements = new ArrayList<>();

        Session(Connection connection, Map<String, PreparedStatement> cache) {
            this.connection = connection;
            this.cache = cache;
        }

        Connection connection() {
            return connection;
        }

        PreparedStatement prepare(String sql) throws SQLException {
            PreparedStatement ps = cache == null ? null : cache.get(sql);
            if (ps == null) {
                ps = connection.prepareStatement(sql);
                if (cache != null && cache.size() < STATEMENT_CACHE) {
                    cache.put(sql, ps);
                } else {
                    transientStatements.add(ps);
                }
            }
            return ps;
        }

        void closeTransient() {
            for (PreparedStatement ps : transientStatements) {
                try {
                    ps.close();
                } catch (SQLException e) {
                    LOG.debug("closing a statement failed", e);
                }
            }
            transientStatements.clear();
        }
    }

    /** Opens a new connection. */
    interface Opener {
        Connection open() throws SQLException;
    }

    private final Opener opener;
    private final DataSource dataSource;
    private final List<String> setup;
    private final String description;
    private Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private boolean closed;

    private Connector(Opener opener, DataSource dataSource, List<String> setup, String description) {
        this.opener = opener;
        this.dataSource = dataSource;
        this.setup = setup;
        this.description = description;
    }

    static Connector single(Opener opener, List<String> setup, String description) {
        return new Connector(opener, null, setup, description);
    }

    static Connector pooled(DataSource dataSource, List<String> setup, String description) {
        return new Connector(null, dataSource, setup, description);
    }

    /**
     * @param what for the error message, e.g. "saving alert 7"
     * @throws AlertStoreException naming the store and the action when the database fails
     */
    <T> T call(String what, Work<T> work) {
        if (dataSource != null) {
            try (Connection c = dataSource.getConnection()) {
                prepare(c);
                return inTransaction(new Session(c, null), work);
            } catch (SQLException e) {
                throw failure(what, e);
            }
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("alert store " + description + " is closed");
            }
            for (int attempt = 1; ; attempt++) {
                try {
                    if (connection == null) {
                        connection = opener.open();
                        prepare(connection);
                    }
                    return inTransaction(new Session(connection, statements), work);
                } catch (SQLException e) {
                    boolean dead = connection == null || !isValid(connection);
                    if (dead) {
                        drop();
                    }
                    if (!dead || attempt == 2) {
                        throw failure(what, e);
                    }
                    LOG.debug("alert store {}: connection lost while {}, reconnecting once", description, what, e);
                }
            }
        }
    }

    private void prepare(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : setup) {
                s.execute(sql);
            }
        }
        c.setAutoCommit(false);
    }

    private static <T> T inTransaction(Session s, Work<T> work) throws SQLException {
        Connection c = s.connection();
        try {
            T result = work.run(s);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            s.closeTransient();
        }
    }

    /** Forgets the kept connection and its statements; call holding this lock. */
    private void drop() {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException e) {
                LOG.debug("closing a statement failed", e);
            }
        }
        statements.clear();
        closeQuietly(connection);
        connection = null;
    }

    private static boolean isValid(Connection c) {
        try {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private AlertStoreException failure(String what, SQLException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("SQLITE_NOTADB") || m.contains("not a database")) {
            m = "the file is not an SQLite database (" + m + ")";
        }
        return new AlertStoreException("alert store " + description + ": " + what + " failed: " + m, e);
    }

    @Override
    public synchronized void close() {
        closed = true;
        drop();
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing an alert store connection failed", e);
            }
        }
    }
}
