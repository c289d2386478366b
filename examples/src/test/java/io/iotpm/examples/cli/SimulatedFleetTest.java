package io.iotpm.examples.cli;

import io.iotpm.core.SensorReading;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.stream.Topic;
import io.iotpm.test.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class SimulatedFleetTest {

    @TempDir
    Path dir;

    @Test
    void restartOnAFileStore_continuesTheHistoryInsteadOfAddingItAgain() {
        String uri = "sqlite:" + dir.resolve("iot.db");
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:30Z"));
        List<SensorReading> first;
        int events;
        try (StorageBackend store = StorageBackends.open(uri)) {
            SimulatedFleet.prepare(store, 2, Duration.ofHours(2), clock);
            assertThat(store.count("PUMP_001")).isEqualTo(120);
            first = store.latest("PUMP_001", 120);
            events = store.events("PUMP_001", Instant.EPOCH, clock.instant().plusSeconds(86_400)).size();
        }
        clock.advance(Duration.ofMinutes(15));
        try (StorageBackend store = StorageBackends.open(uri)) {
            SimulatedFleet.prepare(store, 2, Duration.ofHours(2), clock);
            // Only the 15 minutes the server was down are filled in; what was stored stays as it was.
            assertThat(store.count("PUMP_001")).isEqualTo(135);
            assertThat(store.latest("PUMP_001", 135).subList(15, 135)).usingElementComparator(SimulatedFleetTest::sameValues)
                    .containsExactlyElementsOf(first);
            assertThat(store.latest("PUMP_001", 1).get(0).timestamp()).isBeforeOrEqualTo(clock.instant());
        }
        try (StorageBackend store = StorageBackends.open(uri)) {
            SimulatedFleet.prepare(store, 2, Duration.ofHours(2), clock);
            assertThat(store.count("PUMP_001")).isEqualTo(135);
            assertThat(store.events("PUMP_001", Instant.EPOCH, clock.instant().plusSeconds(86_400)).size())
                    .isGreaterThanOrEqualTo(events).isLessThanOrEqualTo(events + 1);
        }
    }

    @Test
    void streaming_catchesUpFast_butNeverPassesTheWallClock() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:30Z"));
        List<SensorReading> published = new CopyOnWriteArrayList<>();
        try (StorageBackend store = StorageBackends.open("sqlite:" + dir.resolve("stream.db"));
             StreamHub hub = StreamHub.inMemory().build()) {
            hub.subscribe(Topic.READINGS, published::add);
            SimulatedFleet fleet = SimulatedFleet.prepare(store, 2, Duration.ofHours(1), clock);
            // A period far longer than the test: only the explicit ticks below step.
            try (SimulatedFleet.Streaming stream = fleet.stream(hub, Duration.ofHours(1))) {
                assertThat(stream.tick()).as("12:00 is due at 12:00:30").isTrue();
                assertThat(stream.tick()).as("12:01 is not due before 12:01").isFalse();
                clock.advance(Duration.ofMinutes(5));
                int steps = 0;
                while (stream.tick()) {
                    steps++;
                }
                assertThat(steps).isEqualTo(5);
            }
            hub.close(Duration.ofSeconds(10));
        }
        assertThat(published).hasSize(12).allSatisfy(r -> assertThat(r.timestamp()).isBeforeOrEqualTo(clock.instant()));
    }

    private static int sameValues(SensorReading a, SensorReading b) {
        return a.timestamp().equals(b.timestamp()) && Arrays.equals(a.values(), b.values()) ? 0 : 1;
    }
}
