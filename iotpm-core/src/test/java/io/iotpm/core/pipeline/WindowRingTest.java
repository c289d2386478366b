package io.iotpm.core.pipeline;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WindowRingTest {

    private static final SensorSchema MOTOR = SensorSchema.industrialMotor();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static SensorReading at(int s, double temp) {
        double[] v = new double[MOTOR.size()];
        v[MOTOR.requireIndex("temperature")] = temp;
        return SensorReading.of("PUMP_1", T0.plusSeconds(s), MOTOR, v);
    }

    private static List<Integer> seconds(WindowRing ring) {
        return ring.readings().stream().map(r -> (int) (r.timestamp().getEpochSecond() - T0.getEpochSecond())).toList();
    }

    @Test
    void appends_keepTheNewestReadingsOldestFirst_acrossTheRingsWrapAround() {
        WindowRing ring = new WindowRing(3);
        for (int s = 1; s <= 7; s++) {
            ring.append(at(s, s));
            assertThat(ring.newest()).isEqualTo(T0.plusSeconds(s));
        }
        assertThat(ring.isFull()).isTrue();
        assertThat(seconds(ring)).containsExactly(5, 6, 7);
    }

    @Test
    void lateReadingWithATimestampInTheWindow_replacesThatReading() {
        WindowRing ring = new WindowRing(3);
        for (int s = 1; s <= 4; s++) {
            ring.append(at(s, s));
        }
        assertThat(ring.addLate(at(3, 99))).isEqualTo(WindowRing.Late.REPLACED);
        assertThat(seconds(ring)).containsExactly(2, 3, 4);
        assertThat(ring.readings().get(1).value("temperature")).isEqualTo(99);
    }

    @Test
    void lateReadingInsideTheSpan_isInsertedInTimeOrder_droppingTheOldestWhenFull() {
        WindowRing ring = new WindowRing(3);
        ring.append(at(10, 0));
        ring.append(at(20, 0));
        assertThat(ring.addLate(at(15, 0))).isEqualTo(WindowRing.Late.INSERTED);
        assertThat(seconds(ring)).containsExactly(10, 15, 20);
        assertThat(ring.addLate(at(12, 0))).isEqualTo(WindowRing.Late.INSERTED);
        assertThat(seconds(ring)).containsExactly(12, 15, 20);
    }

    @Test
    void lateReadingOlderThanAFullWindow_isLeftOut_butOneOlderThanAFillingWindowGoesFirst() {
        WindowRing full = new WindowRing(2);
        full.append(at(10, 0));
        full.append(at(20, 0));
        assertThat(full.addLate(at(5, 0))).isEqualTo(WindowRing.Late.LEFT_OUT);
        assertThat(seconds(full)).containsExactly(10, 20);

        WindowRing filling = new WindowRing(3);
        filling.append(at(10, 0));
        assertThat(filling.addLate(at(5, 0))).isEqualTo(WindowRing.Late.INSERTED);
        assertThat(seconds(filling)).containsExactly(5, 10);
    }

    @Test
    void readings_isACopy_thatLaterAppendsDoNotChange() {
        WindowRing ring = new WindowRing(2);
        ring.append(at(1, 0));
        List<SensorReading> before = ring.readings();
        ring.append(at(2, 0));
        ring.append(at(3, 0));
        assertThat(before).hasSize(1);
        ring.clear();
        assertThat(ring.isEmpty()).isTrue();
    }
}
