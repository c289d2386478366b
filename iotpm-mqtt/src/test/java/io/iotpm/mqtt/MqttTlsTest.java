package io.iotpm.mqtt;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.json.ReadingJson;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.stream.Topic;
import io.iotpm.test.server.MosquittoServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Ingest over TLS to mosquitto's TLS listener, trusting only the test's self-signed certificate. */
class MqttTlsTest {

    private static final char[] STORE_PASSWORD = "changeit".toCharArray();

    @Test
    void ingestOverTls_withATrustedCertificateConnectsAndReceives_anUntrustedOneIsRefused(@TempDir Path dir)
            throws Exception {
        KeyStore server = selfSigned(dir);
        Certificate cert = server.getCertificate("broker");
        Key key = server.getKey("broker", STORE_PASSWORD);
        Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("broker", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLSv1.2");
        tls.init(null, tmf.getTrustManagers(), null);

        SensorReading reading = Fleet.builder().devices(1).idPrefix("TLS_").seed(3).build().simulators().get(0).next();
        List<SensorReading> got = new CopyOnWriteArrayList<>();
        try (MosquittoServer broker = MosquittoServer.builder().tls(dir.resolve("cert.pem"), dir.resolve("key.pem")).start();
             StreamHub hub = StreamHub.inMemory().build()) {
            hub.subscribe(Topic.READINGS, got::add);
            MqttSettings settings = MqttSettings.builder(broker.tlsUrl()).tls(tls).build();
            assertThat(settings.toString()).contains("tls=TLSv1.2");
            try (MqttIngest ingest = MqttIngest.builder(settings, hub, SensorSchema.industrialMotor())
                    .clientId("ingest-tls").build().start();
                 MqttDeviceFleet devices = MqttDeviceFleet.builder(settings).connections(1).clientIdPrefix("tls-dev")
                         .build().connect()) {
                devices.accept(reading);
                // The ingest counts a reading just after handing it to the hub.
                await().atMost(Duration.ofSeconds(30)).until(() -> got.size() == 1 && ingest.metrics().published() == 1);
            }
            // The JVM's default trust store does not know the self-signed certificate.
            assertThatThrownBy(() -> MqttIngest.builder(MqttSettings.builder(broker.tlsUrl()).build(), hub,
                    SensorSchema.industrialMotor()).clientId("ingest-untrusted").build().start())
                    .isInstanceOf(MqttClientException.class).hasMessageContaining(broker.tlsUrl());
        }
        assertThat(ReadingJson.of(SensorSchema.industrialMotor()).write(got.get(0)))
                .isEqualTo(ReadingJson.of(SensorSchema.industrialMotor()).write(reading));
    }

    /** keytool ships with every JDK, so no openssl is needed to make a certificate for 127.0.0.1. */
    private static KeyStore selfSigned(Path dir) throws Exception {
        Path store = dir.resolve("broker.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "broker", "-keyalg", "RSA",
                "-keysize", "2048", "-validity", "2", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(STORE_PASSWORD))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, STORE_PASSWORD);
        }
        return ks;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
