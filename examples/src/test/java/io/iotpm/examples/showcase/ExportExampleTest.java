package io.iotpm.examples.showcase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ExportExampleTest {

    @Test
    void run_exportsASavedModel_thatTensorFlowServesWithThePyTorchPredictions(@TempDir Path dir) throws Exception {
        ExportExample.Result r = ExportExample.run(42, dir.resolve("savedmodel"));
        assertThat(r.windows()).isPositive();
        assertThat(r.served()).hasSize(r.windows());
        assertThat(r.maxDifference()).isLessThan(1e-4);
        assertThat(dir.resolve("savedmodel").resolve("saved_model.pb")).exists();
    }
}
