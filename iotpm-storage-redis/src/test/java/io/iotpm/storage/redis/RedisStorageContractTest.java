package io.iotpm.storage.redis;

import io.iotpm.core.storage.StorageBackend;
import io.iotpm.test.server.RedisServer;
import io.iotpm.test.storage.StorageBackendContract;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Path;

/** The whole storage contract against a real redis-server; each test has its own key prefix. */
class RedisStorageContractTest extends StorageBackendContract {

    @AutoClose
    private static RedisServer server;

    @BeforeAll
    static void startServer() {
        server = RedisServer.start();
    }

    @Override
    protected StorageBackend open(Path dir) {
        // The same directory reopens the same store: the prefix is the directory's.
        return RedisStorage.builder(server.host(), server.port())
                .keyPrefix("t" + Integer.toHexString(dir.toString().hashCode()) + ":").build();
    }
}
