package io.iotpm.examples.showcase;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class StoreExampleTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"memory:", "csv:", "sqlite:"})
    void run_storesADayOfEveryMotor_andReadsItBack(String scheme) {
        String uri = scheme.equals("memory:") ? scheme : scheme + dir.resolve(scheme.equals("csv:") ? "csv" : "iot.db");
        StoreExample.Result r = StoreExample.run(uri, 3, 42);
        assertThat(r.stored()).isEqualTo(3 * 24 * 60);
        assertThat(r.devices()).extracting(d -> d.deviceId()).containsExactly("PUMP_001", "PUMP_002", "PUMP_003");
        assertThat(r.devices()).allSatisfy(d -> assertThat(d.readingCount()).isEqualTo(24 * 60));
        assertThat(r.latest()).hasSize(5);
        assertThat(r.latest().get(0).timestamp()).isAfter(r.latest().get(4).timestamp());   // newest first
        assertThat(r.firstHour()).hasSize(60);
        assertThat(r.events()).isNotEmpty();   // failure probability 1: every motor fails in its first day
    }
}
