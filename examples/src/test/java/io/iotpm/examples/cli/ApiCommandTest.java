package io.iotpm.examples.cli;

import io.iotpm.api.observability.Observability;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.config.IotpmConfig;
import io.iotpm.core.drift.DriftMonitor;
import io.iotpm.core.drift.DriftReference;
import io.iotpm.core.pipeline.MonitoringPipeline;
import io.iotpm.core.retention.RetentionTask;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.micrometer.IotpmBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiCommandTest {

    private static final String USERS = "alice:admin:pbkdf2-sha256$600000$c2FsdA$aGFzaA";

    private static IotpmConfig config(Map<String, String> env) {
        return IotpmConfig.builder().environment(env).systemProperties(new Properties()).build();
    }

    @Test
    void usersWithoutSecretKey_refuseToStart_insteadOfFallingBackToDemoPasswords() {
        assertThatThrownBy(() -> ApiCommand.realUsers(config(Map.of()), USERS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("IOTPM_USERS is set but SECRET_KEY is not")
                .hasMessageContaining("demo mode");
    }

    @Test
    void usersAndSecretKey_meanRealUsers_andNeitherMeansDemoMode() {
        String secret = "0123456789abcdef0123456789abcdef0123456789";
        assertThat(ApiCommand.realUsers(config(Map.of("SECRET_KEY", secret)), USERS)).isTrue();
        assertThat(ApiCommand.realUsers(config(Map.of()), null)).isFalse();
    }

    @Test
    void observability_exposesDriftPerChannelAndRetentionBesideThePipeline() throws Exception {
        SensorSchema schema = SensorSchema.industrialMotor();
        List<SensorReading> history = Fleet.builder().devices(2).idPrefix("PUMP_").seed(4)
                .start(Instant.parse("2026-03-01T00:00:00Z")).build().history(Duration.ofHours(2)).toList();
        DriftMonitor drift = DriftMonitor.builder(DriftReference.fromReadings(schema, history)).window(50).build();
        history.subList(0, 100).forEach(drift::onReading);
        try (StorageBackend store = StorageBackends.open("memory:");
             StreamHub hub = StreamHub.inMemory().build();
             MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub).storage(store).build().start();
             RetentionTask retention = RetentionTask.fromConfig(config(Map.of()), store).build()) {
            Observability o = ApiCommand.observability(config(Map.of()), pipeline, drift, retention);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();   // the server brings its Prometheus one
            o.binders().forEach(b -> b.bindTo(registry));
            o.binders().forEach(IotpmBinder::refresh);
            assertThat(registry.get("iotpm.drift.psi").tags("group", DriftMonitor.FLEET, "channel",
                    schema.channels().get(0).name()).gauge().value()).isFinite();
            assertThat(registry.get("iotpm.retention.runs").functionCounter().count()).isZero();
            assertThat(registry.get("iotpm.retention.removed").tags("target", "readings").functionCounter().count())
                    .isZero();
            assertThat(registry.get("iotpm.pipeline.readings.received").functionCounter().count()).isZero();
            o.binders().forEach(IotpmBinder::close);
        }
    }
}
