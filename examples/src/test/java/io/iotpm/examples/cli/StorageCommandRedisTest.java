package io.iotpm.examples.cli;

import io.iotpm.test.server.RedisServer;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./iotpm storage --store redis://...} against a real redis-server, and without one. */
class StorageCommandRedisTest {

    @Test
    void storesAFleetInRedis_andReadsItBack() {
        try (RedisServer server = RedisServer.start()) {
            String[] argv = {"storage", "--store", server.uri(), "--devices", "2", "--days", "1"};
            Cli first = Cli.run(argv);
            assertThat(first.exitCode()).as("stderr: %s", first.err()).isZero();
            assertThat(first.out()).contains("schemes on the class path: ", "redis", "stored 2,880 readings",
                    "latest 5 of PUMP_001");
            Cli reads = Cli.run("storage", "--store", server.uri(), "--devices", "0");
            assertThat(reads.out()).containsPattern("PUMP_002 +\\S+ +1,440 ");
        }
    }

    @Test
    void withoutAReachableServer_saysHowToGetOne() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Cli cli = Cli.run("storage", "--store", "redis://127.0.0.1:" + port + "/0", "--devices", "1");
        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.err()).contains("cannot reach the Redis server", "apt-get install redis-server");
    }
}
