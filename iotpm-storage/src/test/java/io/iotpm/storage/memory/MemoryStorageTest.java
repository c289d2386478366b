package io.iotpm.storage.memory;

import io.iotpm.core.SensorReading;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.test.storage.StorageBackendContract;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemoryStorageTest extends StorageBackendContract {

    @Override
    protected StorageBackend open(Path dir) {
        return StorageBackends.open("memory:?capacityPerDevice=1000000");
    }

    @Override
    protected boolean persistent() {
        return false;
    }

    @Override
    protected int concurrentBatchSize() {
        return 1;
    }

    @Test
    void fullBuffer_dropsTheOldestReadings() {
        try (MemoryStorage s = MemoryStorage.builder().capacityPerDevice(100).build()) {
            List<SensorReading> rs = minutes("PUMP_001", T0, 250);
            s.appendAll(rs.subList(0, 130));
            rs.subList(130, 250).forEach(s::append);

            assertThat(s.count("PUMP_001")).isEqualTo(100);
            assertThat(s.range("PUMP_001", T0, T0.plus(Duration.ofDays(1)))).containsExactlyElementsOf(rs.subList(150, 250));
            assertThat(s.latest("PUMP_001", 1)).containsExactly(rs.get(249));
        }
    }

    @Test
    void fullBuffer_insertsALateReadingInOrder_andDiscardsOneOlderThanEverything() {
        try (MemoryStorage s = MemoryStorage.builder().capacityPerDevice(3).build()) {
            List<SensorReading> rs = minutes("PUMP_001", T0, 6);
            s.append(rs.get(1));
            s.append(rs.get(3));
            s.append(rs.get(5));
            s.append(rs.get(4));     // late: evicts rs[1]
            s.append(rs.get(0));     // older than everything kept: discarded
            assertThat(s.range("PUMP_001", T0, T0.plus(Duration.ofDays(1)))).containsExactly(rs.get(3), rs.get(4), rs.get(5));
        }
    }

    @Test
    void uri_rejectsBadCapacity() {
        assertThatThrownBy(() -> StorageBackends.open("memory:?capacityPerDevice=0"))
                .hasMessageContaining("capacityPerDevice must be > 0, but was 0");
        assertThatThrownBy(() -> StorageBackends.open("memory:?capacity=5")).hasMessageContaining("[capacity]");
        try (StorageBackend s = StorageBackends.open("memory:?capacityPerDevice=5")) {
            assertThat(((MemoryStorage) s).capacityPerDevice()).isEqualTo(5);
        }
    }
}
