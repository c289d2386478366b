package io.iotpm.alerts.jdbc;

import java.util.List;

/** What differs between the databases: the statements run on every new connection, and the name in messages. */
enum Dialect {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql");

    private final String label;

    Dialect(String label) {
        this.label = label;
    }

    /** @return the dialect of a JDBC URL or a driver's product name, e.g. {@code jdbc:sqlite:...} or {@code PostgreSQL} */
    static Dialect of(String urlOrProduct) {
        String s = urlOrProduct.toLowerCase(java.util.Locale.ROOT);
        if (s.contains("sqlite")) {
            return SQLITE;
        }
        if (s.contains("postgres")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("alert store supports SQLite and PostgreSQL, but the database is '"
                + urlOrProduct + "'");
    }

    /**
     * @param synchronousFull SQLite only: fsync on every commit, surviving a power cut as well as a crash
     * @return statements for each new connection
     */
    List<String> sessionSetup(boolean synchronousFull) {
        if (this == SQLITE) {
            // WAL: readers never block the writer. synchronous=NORMAL in WAL mode keeps every commit
            // across a crash of the process (kill -9); only a power cut can lose the newest ones.
            return List.of("PRAGMA journal_mode=WAL", "PRAGMA synchronous=" + (synchronousFull ? "FULL" : "NORMAL"),
                    "PRAGMA busy_timeout=10000");
        }
        return List.of();
    }

    String label() {
        return label;
    }
}
