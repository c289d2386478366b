package io.iotpm.examples.jsonl;

import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.test.storage.StorageBackendContract;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The example plugin, loaded from the class path by its scheme, passes the same contract as the built-in backends. */
class JsonlStorageTest extends StorageBackendContract {

    @Override
    protected StorageBackend open(Path dir) {
        return StorageBackends.open("jsonl:" + dir.resolve("jsonl"));
    }

    @Override
    protected boolean anySchema() {
        return false;
    }

    @Test
    void serviceLoader_findsThePluginBesideTheBuiltInSchemes() {
        assertThat(StorageBackends.builder().discover().build().schemes())
                .contains("jsonl", "memory", "csv", "sqlite");
        assertThat(store()).isInstanceOf(JsonlStorage.class);
    }
}
