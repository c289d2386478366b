package io.iotpm.alerts.notify;

import io.iotpm.alerts.Alert;
import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.AlertNotification;
import io.iotpm.alerts.AlertState;
import io.iotpm.alerts.rules.AlertRules;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.pipeline.MonitoringPipeline;
import io.iotpm.core.stream.StreamHub;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The alert manager plugged into core's MonitoringPipeline as a listener, and its notifications on the hub. */
class PipelineIntegrationTest {

    static final SensorSchema MOTOR = SensorSchema.industrialMotor();
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void pipelineListener_raisesAlerts_andHubNotifierPublishesThemOnTheAlertsTopic() throws Exception {
        LinkedBlockingQueue<AlertNotification> seen = new LinkedBlockingQueue<>();
        try (StreamHub hub = StreamHub.inMemory().build()) {
            hub.subscribe(HubNotifier.TOPIC, seen::add);
            try (AlertManager alerts = AlertManager.builder()
                    .rules(AlertRules.defaultsBuilder(MOTOR).rangePersistence(Duration.ZERO).build())
                    .tickInterval(Duration.ZERO).notifier(HubNotifier.to(hub)).build();
                 MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub).listener(alerts).build().start()) {
                double[] v = {65, 0.5, 0.4, 0.3, 2.5, 1800, 15, 220, 0.95, 45};
                hub.publish(SensorReading.of("PUMP_001", T0, MOTOR, v, 95));
                v[0] = 110;
                hub.publish(SensorReading.of("PUMP_001", T0.plusSeconds(60), MOTOR, v, 95));
                java.util.Set<String> fired = new java.util.TreeSet<>();
                for (int i = 0; i < 2; i++) {
                    AlertNotification n = seen.poll(30, TimeUnit.SECONDS);
                    assertThat(n).isNotNull();
                    assertThat(n.event()).isEqualTo(AlertNotification.Event.FIRED);
                    assertThat(n.alert().deviceId()).isEqualTo("PUMP_001");
                    fired.add(n.alert().rule());
                }
                assertThat(fired).containsExactly("limit.temperature", "out_of_range.temperature");
                List<Alert> active = alerts.active();
                assertThat(active).extracting(Alert::rule).contains("limit.temperature", "out_of_range.temperature");
                assertThat(active).allMatch(a -> a.state() == AlertState.ACTIVE);
                assertThat(pipeline.metrics()).isNotNull();
            }
        }
    }
}
