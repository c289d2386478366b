package io.iotpm.alerts.jdbc;

import io.iotpm.alerts.store.AlertStore;
import io.iotpm.test.alerts.AlertStoreContract;
import io.iotpm.test.server.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The alert store contract against a real PostgreSQL server: one server for the class, one database per test. */
class PostgresAlertStoreContractTest extends AlertStoreContract {

    private static PostgresServer server;
    private static final Map<Path, String> DATABASES = new HashMap<>();

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected AlertStore open(Path dir) {
        String db;
        synchronized (DATABASES) {
            db = DATABASES.computeIfAbsent(dir, d -> server.createDatabase("alerts_" + DATABASES.size()));
        }
        return JdbcAlertStore.open(server.jdbcUrl(db), server.user(), server.password());
    }
}
