package io.iotpm.examples.showcase;

import io.iotpm.core.HealthStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SimulateExampleTest {

    @Test
    void run_simulatesEveryMinuteOfEveryMotor_withFailures_andIsReproducible() {
        SimulateExample.Result r = SimulateExample.run(4, Duration.ofDays(3), 42);
        assertThat(r.readings()).hasSize(4 * 3 * 24 * 60);
        assertThat(r.statuses().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(r.readings().size());
        assertThat(r.statuses()).containsKey(HealthStatus.NORMAL);
        assertThat(r.failures()).isNotEmpty().allSatisfy(f -> assertThat(f.deviceId()).startsWith("PUMP_"));
        assertThat(SimulateExample.run(4, Duration.ofDays(3), 42)).isEqualTo(r);
    }
}
