package io.iotpm.examples.showcase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TrainExampleTest {

    @Test
    void run_trainsEvaluatesSavesAndLoads_theLoadedModelPredictingAsTheOriginal(@TempDir Path dir) throws Exception {
        TrainExample.Result r = TrainExample.run(5, 2, 42, dir.resolve("model"));
        assertThat(r.report().epochs()).hasSizeBetween(1, 2);
        assertThat(r.unseen().count()).isPositive();
        assertThat(r.prediction().deviceId()).isEqualTo("PUMP_001");
        assertThat(r.prediction().failureProbability()).isBetween(0.0, 1.0);
        assertThat(r.same()).isTrue();
        assertThat(dir.resolve("model").resolve("model.json")).exists();
    }
}
