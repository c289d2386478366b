package io.iotpm.storage.postgres;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Sorts pgjdbc's errors into "retry" and "give up", and words them for people: wrong credentials,
 * a missing database and an unreachable server each get a sentence that says what to do, and no
 * message ever holds the password (pgjdbc's do not, and these add none).
 */
final class PgErrors {

    private PgErrors() {
    }

    /** @return whether the server was unreachable, shutting down or restarting, or the transaction lost a race */
    static boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P") || state.equals("40001")
                        || state.equals("40P01") || state.equals("53300")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** @return whether an insert found no partition for its row (another JVM's retention dropped it) */
    static boolean isMissingPartition(SQLException e) {
        return "23514".equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains("no partition");
    }

    /**
     * @param e    the error
     * @param user the role that logged in, or {@code null}
     * @return a message with the server's reason and, for the common cases, what to do
     */
    static String describe(SQLException e, String user) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String base = e.getMessage() + (state.isEmpty() ? "" : " (SQLState " + state + ")");
        if (state.equals("28P01") || state.equals("28000")) {
            return base + "; check the user name" + (user == null ? "" : " '" + user + "'")
                    + " and the password (PGPASSWORD, ~/.pgpass or PostgresStorage.Builder.password)";
        }
        if (state.equals("3D000")) {
            return base + "; create it first (CREATE DATABASE) or point the URI at an existing one";
        }
        if (state.startsWith("08")) {
            return base + "; is a PostgreSQL server running there? Install Debian's 'postgresql' package"
                    + " (apt-get install postgresql) or point the URI at a reachable server";
        }
        return base;
    }
}
