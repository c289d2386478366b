package io.iotpm.examples.showcase;

import io.iotpm.alerts.Alert;
import io.iotpm.alerts.AlertState;
import io.iotpm.alerts.Priority;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AlertExampleTest {

    @Test
    void run_foldsTenHotMinutesIntoOneAlert_notifiedWhenFiredAndWhenResolved() {
        AlertExample.Result r = AlertExample.run(42);
        assertThat(r.history()).hasSize(1);
        Alert a = r.history().get(0);
        assertThat(a.rule()).isEqualTo("overheat");
        assertThat(a.deviceId()).isEqualTo("PUMP_001");
        assertThat(a.priority()).isEqualTo(Priority.HIGH);
        assertThat(a.count()).isEqualTo(10);
        assertThat(a.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(a.message()).isEqualTo("PUMP_001: temperature 90 °C");
        assertThat(r.notifications()).hasSize(2);
        assertThat(r.notifications().get(0)).startsWith("FIRED");
        assertThat(r.notifications().get(1)).startsWith("RESOLVED");
    }
}
