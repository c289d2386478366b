package io.iotpm.test.server;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import java.io.ByteArrayOutputStream;
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

/** The fixture itself: a missing binary, users, restart on the same port, and clean-up. */
class MosquittoServerTest {

    private static final List<Path> NOWHERE = List.of(Path.of("/nonexistent-iotpm"));

    @Test
    void aMissingBinary_skipsNamingTheDebianPackage_orFailsUnderCi() {
        assertThatThrownBy(() -> MosquittoServer.binary(Map.of("PATH", "/nonexistent-iotpm"), NOWHERE))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("Debian package 'mosquitto'");
        assertThatThrownBy(() -> MosquittoServer.binary(Map.of("PATH", "/nonexistent-iotpm", "CI", "true"), NOWHERE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("CI=true");
        assertThatThrownBy(() -> MosquittoServer.binary(Map.of("MOSQUITTO", "/nonexistent-iotpm/mosquitto"), NOWHERE))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("MOSQUITTO=/nonexistent-iotpm/mosquitto");
    }

    @Test
    void withAUser_refusesAnonymousAndWrongPasswords_acceptsTheUser_andSurvivesARestart() throws IOException {
        Path dir;
        try (MosquittoServer broker = MosquittoServer.builder().persistence(true).user("plant", "pw 1").start()) {
            dir = broker.dir();
            assertThat(broker.url()).isEqualTo("tcp://127.0.0.1:" + broker.port());
            assertThat(connack(broker, null, null)).isEqualTo(5);
            assertThat(connack(broker, "plant", "wrong")).isEqualTo(5);
            assertThat(connack(broker, "plant", "pw 1")).isZero();
            broker.restart();
            assertThat(broker.isRunning()).isTrue();
            assertThat(connack(broker, "plant", "pw 1")).isZero();
        }
        assertThat(Files.exists(dir)).isFalse();
    }

    @Test
    void userNamesThatWouldBreakThePasswordFileAreRejected() {
        assertThatThrownBy(() -> MosquittoServer.builder().user("a:b", "pw"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a:b'");
        assertThatThrownBy(() -> MosquittoServer.builder().config("a\nb"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** @return the CONNACK return code of an MQTT 3.1.1 CONNECT */
    private static int connack(MosquittoServer broker, String user, String password) throws IOException {
        byte[] id = "t".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4});
        int flags = 0x02 | (user != null ? 0xC0 : 0);
        body.write(flags);
        body.write(new byte[] {0, 10});
        string(body, id);
        if (user != null) {
            string(body, user.getBytes(StandardCharsets.UTF_8));
            string(body, password.getBytes(StandardCharsets.UTF_8));
        }
        try (Socket s = new Socket(broker.host(), broker.port())) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write(0x10);
            out.write(body.size());
            body.writeTo(out);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] reply = in.readNBytes(4);
            assertThat(reply[0]).isEqualTo((byte) 0x20);
            return reply[3];
        }
    }

    private static void string(ByteArrayOutputStream out, byte[] s) {
        out.write(s.length >> 8);
        out.write(s.length & 0xff);
        out.write(s, 0, s.length);
    }
}
