package io.iotpm.ml;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.FailureEvent;
import io.iotpm.core.MaintenanceEvent;
import io.iotpm.core.SensorReading;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WindowsTest {

    private static TrainingSet.Series series(int steps, List<DeviceEvent> events) {
        List<SensorReading> rs = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            rs.add(SensorReading.of("D", Synthetic.T0.plus(Duration.ofMinutes(t)), Synthetic.SCHEMA, t, 0));
        }
        return TrainingSet.of(rs, events).series().iterator().next();
    }

    private static FailureEvent failure(int step) {
        return new FailureEvent("D", Synthetic.T0.plus(Duration.ofMinutes(step)), "x");
    }

    @Test
    void rulCountsStepsToTheFailureAndLabelUsesHorizon() {
        TrainingSet.Series s = series(20, List.of(failure(19)));
        List<Windows.Window> ws = Windows.cut(s, 5, 1, 3, 0, true);
        assertThat(ws).hasSize(16);
        Windows.Window last = ws.get(ws.size() - 1);
        assertThat(last.end()).isEqualTo(19);
        assertThat(last.rul()).isZero();
        assertThat(last.label()).isTrue();
        assertThat(ws.get(0).rul()).isEqualTo(15);
        assertThat(ws.stream().filter(Windows.Window::label).count()).isEqualTo(4);
    }

    @Test
    void rulCapClipsTargets() {
        TrainingSet.Series s = series(40, List.of(failure(39)));
        assertThat(Windows.cut(s, 5, 1, 3, 10, true).get(0).rul()).isEqualTo(10);
    }

    @Test
    void skipsWindowsStraddlingAFailureOrEndingWhileDown() {
        TrainingSet.Series s = series(40, List.of(failure(15),
                new MaintenanceEvent("D", Synthetic.T0.plus(Duration.ofMinutes(20)), "repair"), failure(39)));
        List<Windows.Window> ws = Windows.cut(s, 5, 1, 3, 0, false);
        // Ends 4..15 before the failure; then windows must start after step 15 and end after the repair at 20.
        assertThat(ws).extracting(Windows.Window::end).contains(15, 21).doesNotContain(16, 19, 20);
        assertThat(ws.stream().filter(w -> w.end() == 21).findFirst().orElseThrow().rul()).isEqualTo(18);
    }

    @Test
    void censoredTailWithoutFailureIsLabelledOnlyWhenTheHorizonIsObserved() {
        TrainingSet.Series s = series(20, List.of());
        List<Windows.Window> ws = Windows.cut(s, 5, 1, 3, 0, false);
        assertThat(ws).extracting(Windows.Window::end).containsExactly(4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
        assertThat(ws).noneMatch(Windows.Window::label);
        assertThat(Windows.cut(s, 5, 1, 3, 0, true)).isEmpty();
    }

    @Test
    void strideKeepsTheLastReadingAsAWindowEnd() {
        TrainingSet.Series s = series(20, List.of(failure(19)));
        assertThat(Windows.cut(s, 5, 4, 3, 0, false)).extracting(Windows.Window::end).containsExactly(7, 11, 15, 19);
    }

    @Test
    void skipsWindowsWithMissingValues() {
        List<SensorReading> rs = new ArrayList<>();
        for (int t = 0; t < 12; t++) {
            rs.add(SensorReading.of("D", Synthetic.T0.plus(Duration.ofMinutes(t)), Synthetic.SCHEMA, t, t == 6 ? Double.NaN : 0));
        }
        TrainingSet.Series s = TrainingSet.of(rs, List.of(failure(11))).series().iterator().next();
        assertThat(Windows.cut(s, 3, 1, 3, 0, false)).extracting(Windows.Window::end).containsExactly(2, 3, 4, 5, 9, 10, 11);
    }
}
