package io.iotpm.ml.cmapss;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.SensorReading;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bootstrap intervals of the protocols' metrics: engines are resampled, with all their windows. */
class BootstrapIntervalTest {

    /** {@code perEngine} windows for each engine id, truth 50, in order. */
    private static ProtocolCases cases(int perEngine, String... ids) {
        List<DeviceWindow> ws = new ArrayList<>();
        for (String id : ids) {
            List<SensorReading> r = List.of(SensorReading.of(id, Cmapss.START, Cmapss.schema(),
                    new double[Cmapss.schema().size()]));
            for (int i = 0; i < perEngine; i++) {
                ws.add(new DeviceWindow(id, r));
            }
        }
        boolean[] labels = new boolean[ws.size()];
        double[] rul = new double[ws.size()];
        Arrays.fill(rul, 50);
        return new ProtocolCases("test", ws, labels, rul);
    }

    @Test
    void rmseInterval_resamplesEnginesNotWindows() {
        // Engine A is exact, engine B off by 10 in each of its 200 windows. Drawing both engines' windows
        // together happens in a quarter of the resamples for A alone (RMSE 0) and a quarter for B alone (10);
        // resampling single windows would almost never give either extreme.
        ProtocolCases c = cases(200, "A", "B");
        double[] estimate = new double[400];
        Arrays.fill(estimate, 0, 200, 50);
        Arrays.fill(estimate, 200, 400, 60);
        CmapssEvaluation.Interval i = CmapssEvaluation.rmseInterval(c, estimate);
        assertThat(i.low()).isZero();
        assertThat(i.high()).isEqualTo(10.0);
        assertThat(i).hasToString("[0.00, 10.00]");
    }

    @Test
    void rmseInterval_isReproducibleAndHoldsTheWholeSamplesValue() {
        String[] ids = new String[30];
        for (int e = 0; e < ids.length; e++) {
            ids[e] = "E" + e;
        }
        ProtocolCases c = cases(1, ids);
        double[] estimate = new double[30];
        double sum = 0;
        for (int e = 0; e < 30; e++) {
            estimate[e] = 50 + (e % 7) * 3 - 9;
            sum += (estimate[e] - 50) * (estimate[e] - 50);
        }
        double rmse = Math.sqrt(sum / 30);
        CmapssEvaluation.Interval i = CmapssEvaluation.rmseInterval(c, estimate);
        assertThat(i.low()).isLessThan(rmse);
        assertThat(i.high()).isGreaterThan(rmse);
        assertThat(CmapssEvaluation.rmseInterval(c, estimate)).isEqualTo(i);
    }

    @Test
    void f1Interval_ofAPerfectRuleIsOne_andIgnoresDrawsWithNothingToScore() {
        ProtocolCases c = cases(3, "A", "B");
        boolean[] labels = c.labels();
        labels[0] = labels[1] = labels[2] = true;   // engine A fails, engine B never does
        double[] score = {0.9, 0.8, 0.7, 0.1, 0.2, 0.3};
        CmapssEvaluation.Interval i = CmapssEvaluation.f1Interval(c, score, 0.5);
        // A draw of engine B alone has no positive and no alarm: F1 is undefined there and left out.
        assertThat(i.low()).isEqualTo(1.0);
        assertThat(i.high()).isEqualTo(1.0);
    }

    @Test
    void noCases_areRejected() {
        ProtocolCases none = new ProtocolCases("none", List.of(), new boolean[0], new double[0]);
        assertThatThrownBy(() -> CmapssEvaluation.rmseInterval(none, new double[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no case");
    }
}
