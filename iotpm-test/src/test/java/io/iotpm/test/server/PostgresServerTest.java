package io.iotpm.test.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PostgresServer#start()}: a port taken between asking and binding costs a retry on a new port. */
class PostgresServerTest {

    @Test
    void aPortTakenBeforeTheServerBoundIt_isRetriedOnANewPort() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Integer> offered = new ArrayList<>();
            try (PostgresServer pg = PostgresServer.start(() -> {
                int p = offered.isEmpty() ? taken.getLocalPort() : ServerProcess.freePort();
                offered.add(p);
                return p;
            })) {
                assertThat(offered).hasSize(2).startsWith(taken.getLocalPort());
                assertThat(pg.port()).isEqualTo(offered.get(1));
                assertThat(pg.sql("postgres", "SELECT 40 + 2")).isEqualTo("42");
                assertThat(pg.log()).as("the failed attempt's log is gone").doesNotContain("already in use");
            }
        }
    }
}
