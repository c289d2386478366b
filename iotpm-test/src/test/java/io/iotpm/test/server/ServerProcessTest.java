package io.iotpm.test.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ServerProcess#launchOnFreshPorts}: a port taken between asking and binding costs a retry, nothing else. */
class ServerProcessTest {

    @TempDir
    Path tmp;

    private final List<ServerProcess> made = new ArrayList<>();

    /** A "server" that either reports a taken port and exits, fails otherwise, or runs and is ready at once. */
    private ServerProcess fake(String behaviour) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "srv-");
        List<String> command = switch (behaviour) {
            case "taken" -> List.of("sh", "-c", "echo 'bind: Address already in use'; exit 1");
            case "broken" -> List.of("sh", "-c", "echo 'bad configuration line 3'; exit 1");
            default -> List.of("sleep", "600");
        };
        boolean ready = behaviour.equals("runs");
        ServerProcess[] self = new ServerProcess[1];
        self[0] = new ServerProcess("fake", command, dir, ServerProcess.freePort(), "run",
                () -> ready && self[0].isRunning(), () -> read(dir.resolve("fake.out")));
        made.add(self[0]);
        return self[0];
    }

    private static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void aPortTakenBeforeTheServerBoundIt_isRetriedOnNewPorts() {
        List<String> plan = new ArrayList<>(List.of("taken", "taken", "runs"));
        ServerProcess p = ServerProcess.launchOnFreshPorts("fake", () -> fake(plan.remove(0)), s -> s, ServerProcess::close);
        try {
            assertThat(p.isRunning()).isTrue();
            assertThat(made).hasSize(3);
            assertThat(made.subList(0, 2)).allSatisfy(s -> assertThat(s.isRunning()).isFalse());
        } finally {
            p.close();
        }
    }

    @Test
    void anyOtherFailure_isReportedAtOnce_withTheServersLog() {
        assertThatThrownBy(() -> ServerProcess.launchOnFreshPorts("fake", () -> fake("broken"), s -> s,
                ServerProcess::close)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bad configuration line 3");
        assertThat(made).hasSize(1);
    }

    @Test
    void portsThatStayTaken_failAfterThreeTries() {
        assertThatThrownBy(() -> ServerProcess.launchOnFreshPorts("fake", () -> fake("taken"), s -> s,
                ServerProcess::close)).hasMessageContaining("Address already in use");
        assertThat(made).hasSize(3);
    }
}
