package io.iotpm.storage.postgres;

import io.iotpm.core.storage.StorageBackend;
import io.iotpm.test.server.PostgresServer;
import io.iotpm.test.storage.StorageBackendContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The storage contract against a real PostgreSQL server: one server for the class, one database per test. */
class PostgresStorageContractTest extends StorageBackendContract {

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
    protected StorageBackend open(Path dir) {
        String db;
        synchronized (DATABASES) {
            db = DATABASES.computeIfAbsent(dir, d -> server.createDatabase("contract_" + DATABASES.size()));
        }
        return PostgresStorage.builder("127.0.0.1", server.port(), db)
                .user(server.user()).password(server.password()).build();
    }
}
