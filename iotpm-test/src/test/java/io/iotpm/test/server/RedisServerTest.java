package io.iotpm.test.server;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fixture itself: a missing binary, and a real server's kill, restart and clean-up. */
class RedisServerTest {

    private static final List<Path> NOWHERE = List.of(Path.of("/nonexistent-iotpm"));

    @Test
    void aMissingBinary_skipsNamingTheDebianPackage_orFailsUnderCi() {
        Map<String, String> env = Map.of("PATH", "/nonexistent-iotpm");
        assertThatThrownBy(() -> RedisServer.binary(env, NOWHERE)).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("Debian package 'redis-server'");
        assertThatThrownBy(() -> RedisServer.binary(Map.of("PATH", "/nonexistent-iotpm", "CI", "true"), NOWHERE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("CI=true");
        assertThatThrownBy(() -> RedisServer.binary(Map.of("REDIS_SERVER", "/nonexistent-iotpm/redis"), NOWHERE))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("REDIS_SERVER=/nonexistent-iotpm/redis");
    }

    @Test
    void aofAlways_keepsAWriteAcrossKill9_andCloseDeletesTheFolder() throws IOException {
        Path dir;
        try (RedisServer server = RedisServer.builder().persistence(RedisServer.Persistence.AOF_ALWAYS).start()) {
            dir = server.dir();
            assertThat(server.uri()).isEqualTo("redis://127.0.0.1:" + server.port() + "/0");
            assertThat(command(server, "SET", "k", "v")).isEqualTo("+OK");
            server.kill();
            assertThat(server.isRunning()).isFalse();
            server.restart();
            assertThat(server.isRunning()).isTrue();
            assertThat(command(server, "GET", "k")).isEqualTo("$1");
        }
        assertThat(Files.exists(dir)).isFalse();
    }

    @Test
    void parentDirectory_holdsTheServersFolder_andMustExist(@org.junit.jupiter.api.io.TempDir Path parent)
            throws IOException {
        try (RedisServer server = RedisServer.builder().parentDirectory(parent).start()) {
            assertThat(server.dir().getParent()).isEqualTo(parent);
            assertThat(command(server, "PING")).isEqualTo("+PONG");
        }
        Path missing = parent.resolve("missing");
        assertThatThrownBy(() -> RedisServer.builder().parentDirectory(missing))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing.toString());
    }

    /** @return the first line of the reply */
    private static String command(RedisServer server, String... args) throws IOException {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            b.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        try (Socket s = new Socket(server.host(), server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\r') {
                line.append((char) c);
            }
            return line.toString();
        }
    }
}
