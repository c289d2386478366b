package io.iotpm.ml.cmapss;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.ml.ClassificationMetrics;
import io.iotpm.ml.Evaluation;
import io.iotpm.ml.LstmPredictor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The binary protocol on the real FD001 files (window 50, label RUL <= 30, 93 test engines). Tens
 * of minutes on a shared 2-core machine; {@code ./iotpm cmapss} prints the full table.
 */
@Tag("slow")
class CmapssTrainingTest {

    @Test
    void binaryProtocol_reachesF1OfThePublishedKerasLstm() throws Exception {
        Path dir = Path.of(System.getProperty("cmapss.dir", "../../shared/data/cmapss"));
        Assumptions.assumeTrue(Files.exists(dir.resolve("train_FD001.txt")), "C-MAPSS data not found in " + dir);
        Cmapss.Training training = Cmapss.readTraining(dir.resolve("train_FD001.txt"), "hpc_degradation");
        List<Cmapss.TestEngine> engines = Cmapss.readTest(dir.resolve("test_FD001.txt"), dir.resolve("RUL_FD001.txt"));
        try (LstmPredictor lstm = LstmPredictor.builder(Cmapss.schema()).sequenceLength(50).horizon(30)
                .dropConstantChannels().layers(100, 50).dropout(0.2).batchSize(200).epochs(15)
                .earlyStoppingPatience(8).seed(42).build()) {
            lstm.train(training.toTrainingSet());
            List<DeviceWindow> windows = new ArrayList<>();
            List<Boolean> actual = new ArrayList<>();
            for (Cmapss.TestEngine e : engines) {
                if (e.readings().size() >= 50) {
                    windows.add(new DeviceWindow(e.deviceId(), e.readings()));
                    actual.add(e.trueRul() <= 30);
                }
            }
            assertThat(windows).hasSize(93);
            List<Prediction> ps = lstm.predictBatch(windows);
            boolean[] a = new boolean[ps.size()];
            double[] p = new double[ps.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = actual.get(i);
                p[i] = ps.get(i).failureProbability();
            }
            ClassificationMetrics m = Evaluation.classification(a, p, lstm.threshold());
            assertThat(m.f1()).isGreaterThanOrEqualTo(0.9);
        }
    }
}
