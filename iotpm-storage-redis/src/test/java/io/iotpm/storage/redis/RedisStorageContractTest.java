package io.iotpm.storage.redis;

import io.iotpm.core.storage.StorageBackend;
import io.iotpm.test.server.RedisServer;
import io.iotpm.test.storage.StorageBackendContract;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;

/** The whole storage contract against a real redis-server; each test has its own key prefix. */
@ExtendWith(RedisStorageContractTest.LastWriteWins.class)
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

    /**
     * Issue 13 makes (device, timestamp) a reading's identity in every backend, and this backend
     * was written that way; the contract's old "equal timestamps keep append order" test, which
     * the idempotence change replaces, cannot hold here. Remove this once that change is merged.
     */
    static final class LastWriteWins implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getTestMethod().filter(m -> m.getName().equals("equalTimestamps_keepAppendOrder"))
                    .map(m -> ConditionEvaluationResult.disabled("(device, timestamp) is a reading's identity (issue 13)"))
                    .orElse(ConditionEvaluationResult.enabled("contract test"));
        }
    }
}
