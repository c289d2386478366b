package io.iotpm.ml;

import io.iotpm.core.DeviceWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** {@code minTargetCorrelation}: channels that do not follow the target are left out, from training devices only. */
class ChannelSelectionTest {

    static LstmPredictor.Builder small() {
        return LstmPredictor.builder(Synthetic.SCHEMA).sequenceLength(12).horizon(10).stride(3)
                .layers(6).epochs(1).batchSize(64).earlyStoppingPatience(0).seed(5);
    }

    @Test
    void minTargetCorrelation_keepsTheRampingChannelAndDropsTheNoise(@TempDir Path dir) throws IOException {
        Synthetic data = Synthetic.fleet(6, 300, 2);
        for (LstmPredictor.Task task : LstmPredictor.Task.values()) {
            LstmPredictor.Builder b = small().task(task).minTargetCorrelation(0.3);
            try (LstmPredictor p = (task == LstmPredictor.Task.RUL_REGRESSION ? b.rulCap(60) : b).build()) {
                p.train(data.set());
                assertThat(p.featureNames()).as(task.name()).containsExactly("load");
                p.save(dir.resolve(task.name()));
                try (LstmPredictor again = Predictors.load(dir.resolve(task.name()), Synthetic.SCHEMA)) {
                    assertThat(again.featureNames()).containsExactly("load");
                    DeviceWindow w = new DeviceWindow("DEV_001", data.lastReadings("DEV_001", 12));
                    assertThat(again.predictBatch(List.of(w)).get(0).failureProbability())
                            .isCloseTo(p.predictBatch(List.of(w)).get(0).failureProbability(), within(1e-6));
                }
            }
        }
        try (LstmPredictor all = small().build()) {
            all.train(data.set());
            assertThat(all.featureNames()).containsExactly("load", "temp");
        }
    }

    @Test
    void targetCorrelations_separateTheRampFromTheNoise() {
        Synthetic data = Synthetic.fleet(2, 200, 4);
        List<Windows.Window> ws = Windows.cut(data.set().series().iterator().next(), 12, 1, 10, 0, false);
        double[] r = LstmTraining.targetCorrelations(2, ws, false);
        assertThat(r[0]).isGreaterThan(0.3);
        assertThat(Math.abs(r[1])).isLessThan(0.3);
    }

    @Test
    void minTargetCorrelation_failsClearlyWhenNoChannelQualifies() {
        Synthetic data = Synthetic.fleet(4, 300, 2);
        try (LstmPredictor p = small().minTargetCorrelation(0.99).build()) {
            assertThatThrownBy(() -> p.train(data.set()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no channel reaches minTargetCorrelation 0.99");
        }
    }

    @Test
    void minTargetCorrelation_rejectsValuesOutsideZeroToOne() {
        assertThatThrownBy(() -> small().minTargetCorrelation(-0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was -0.1");
        assertThatThrownBy(() -> small().minTargetCorrelation(1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was 1.0");
        assertThatThrownBy(() -> small().minTargetCorrelation(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was NaN");
    }
}
