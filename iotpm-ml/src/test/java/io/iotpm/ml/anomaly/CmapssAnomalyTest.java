package io.iotpm.ml.anomaly;

import io.iotpm.core.SensorReading;
import io.iotpm.ml.TrainingSet;
import io.iotpm.ml.cmapss.Cmapss;
import io.iotpm.ml.cmapss.CmapssEvaluation;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The autoencoder on NASA C-MAPSS FD001 (the settings of {@code ./iotpm anomaly}): trained on the
 * first 80 cycles of 80 engines only, it raises an alarm before the failure of held-out engines,
 * well ahead of it, and rarely in their early life. About a minute.
 */
@Tag("slow")
class CmapssAnomalyTest {

    @Test
    void trainedOnEarlyLifeOnly_alarmsBeforeFailure_withFewEarlyFalseAlarms() throws Exception {
        Path dir = Path.of(System.getProperty("cmapss.dir", "../../shared/data/cmapss"));
        Assumptions.assumeTrue(Files.exists(dir.resolve("train_FD001.txt")), "C-MAPSS data not found in " + dir);
        Cmapss.Training training = Cmapss.readTraining(dir.resolve("train_FD001.txt"), "hpc_degradation");
        TrainingSet all = training.toTrainingSet();
        CmapssEvaluation.Split split = CmapssEvaluation.holdOut(all.deviceIds(), 20, 42);
        List<SensorReading> early = AnomalyEvaluation.earlyLife(training.readings().stream()
                .filter(r -> split.kept().contains(r.deviceId())).toList(), 80);
        try (AnomalyDetector ae = AnomalyDetector.builder(Cmapss.schema()).sequenceLength(30).horizon(30)
                .hiddenSize(32).epochs(6).batchSize(128).seed(42).build()) {
            ae.train(TrainingSet.of(early, List.of()));
            AnomalyEvaluation.LeadTimes lt = AnomalyEvaluation.leadTimes(ae, all.devices(split.held()), 80, 3);
            assertThat(lt.detected()).isGreaterThanOrEqualTo(18);
            assertThat(lt.medianLeadTime()).isGreaterThanOrEqualTo(20);
            assertThat(lt.falseAlarmRate()).isLessThanOrEqualTo(0.1);
            assertThat(AnomalyEvaluation.rocAuc(ae, all.devices(split.held()), 1)).isGreaterThanOrEqualTo(0.9);
        }
    }
}
