package io.iotpm.storage.sqlite;

import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.test.storage.ForwardingStorage;
import io.iotpm.test.storage.StorageBackendContract;

import java.nio.file.Path;

/** The test kit's {@link ForwardingStorage} keeps every behaviour of the backend it wraps (SQLite here). */
class ForwardingSqliteStorageTest extends StorageBackendContract {

    @Override
    protected StorageBackend open(Path dir) {
        return new ForwardingStorage(StorageBackends.open("sqlite:" + dir.resolve("iot.db")));
    }
}
