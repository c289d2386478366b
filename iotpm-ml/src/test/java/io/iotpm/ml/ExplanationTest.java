package io.iotpm.ml;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Issue 18: a single prediction says which channels moved its probability (occlusion over channels). */
class ExplanationTest {

    static Synthetic data;
    static LstmPredictor model;
    static List<DeviceWindow> windows;

    @BeforeAll
    static void train() {
        data = Synthetic.fleet(8, 400, 5);
        model = LstmPredictorTest.small().rollingFeatures(0).slopeFeatures(0).seed(3).build();
        model.train(data.set());
        windows = data.windows(12, 5);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void predict_explainsWithEveryChannelTheModelReads_largestMagnitudeFirst() {
        DeviceWindow w = windows.get(7);
        Prediction p = model.predict(w.deviceId(), w.readings());
        assertThat(p.contributions()).containsOnlyKeys("load", "temp");
        List<Double> magnitudes = p.contributions().values().stream().map(Math::abs).toList();
        assertThat(magnitudes).isSortedAccordingTo(Comparator.reverseOrder());
        // The same probability, risk and decision as the unexplained batch path.
        Prediction b = model.predictBatch(List.of(w)).get(0);
        assertThat(p.failureProbability()).isCloseTo(b.failureProbability(), within(1e-9));
        assertThat(p.riskLevel()).isEqualTo(b.riskLevel());
        assertThat(p.maintenanceNeeded()).isEqualTo(b.maintenanceNeeded());
        assertThat(b.contributions()).isEmpty();
    }

    @Test
    void predict_namesTheRampingChannel_forTheWindowsClosestToFailure() {
        // Synthetic data: only 'load' ramps up before a failure; 'temp' is noise.
        List<Prediction> batch = model.predictBatch(windows);
        List<Integer> riskiest = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            riskiest.add(i);
        }
        riskiest.sort(Comparator.comparingDouble(i -> -batch.get(i).failureProbability()));
        for (int i : riskiest.subList(0, 5)) {
            DeviceWindow w = windows.get(i);
            Prediction p = model.predict(w.deviceId(), w.readings());
            assertThat(p.contributions().keySet().iterator().next()).as("window %d: %s", i, p).isEqualTo("load");
            assertThat(p.contributions().get("load")).isPositive();
        }
    }
}
