package io.iotpm.ml.tensorflow;

import io.iotpm.core.RiskLevel;
import io.iotpm.ml.network.PlattScaling;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 18 in the sidecar: the calibration travels with the export, and risk levels agree with the decision. */
class SidecarCalibrationTest {

    @Test
    void calibrationAndMaintenanceLevel_roundTripThroughJson() {
        ModelSidecar s = ModelSidecar.of("v1", List.of("a"), 5)
                .withThresholds(new RiskThresholds(0.2, 0.6, 0.7, 0.7, RiskLevel.CRITICAL))
                .withOutputKind(ModelSidecar.OutputKind.LOGIT)
                .withCalibration(new PlattScaling(0.61, -1.25));
        String json = s.toJson();
        assertThat(json).contains("\"method\" : \"platt\"", "\"maintenance_level\" : \"critical\"");
        assertThat(ModelSidecar.parse(json)).isEqualTo(s);
    }

    @Test
    void sidecarWithoutCalibration_readsAsTheIdentity_andABadOneIsNamed() {
        ModelSidecar old = ModelSidecar.parse("{\"channels\": [\"a\"], \"sequence_length\": 3}");
        assertThat(old.calibration()).isEqualTo(PlattScaling.IDENTITY);
        assertThat(old.thresholds().maintenanceLevel()).isEqualTo(RiskLevel.HIGH);
        assertThatThrownBy(() -> ModelSidecar.parse("{\"channels\": [\"a\"], \"sequence_length\": 3,"
                + " \"calibration\": {\"method\": \"isotonic\"}}")).hasMessageContaining("'isotonic'");
        assertThatThrownBy(() -> ModelSidecar.parse("{\"channels\": [\"a\"], \"sequence_length\": 3,"
                + " \"calibration\": {\"method\": \"platt\", \"a\": \"x\", \"b\": 1}}"))
                .hasMessageContaining("needs numbers a and b");
        assertThatThrownBy(() -> ModelSidecar.parse("{\"channels\": [\"a\"], \"sequence_length\": 3,"
                + " \"thresholds\": {\"maintenance_level\": \"low\"}}")).hasMessageContaining("LOW");
    }

    @Test
    void olderSidecarWhoseThresholdsDisagree_stillNeverGivesCriticalWithoutMaintenance() {
        // An export from before issue 18: high 0.6 and critical 0.8, decision learned at 0.85.
        RiskThresholds t = new RiskThresholds(0.3, 0.6, 0.8, 0.85);
        assertThat(t.riskOf(0.839)).isEqualTo(RiskLevel.MEDIUM);
        assertThat(t.maintenanceNeeded(0.839)).isFalse();
        for (int i = 0; i <= 100; i++) {
            double p = i / 100.0;
            assertThat(t.riskOf(p).compareTo(RiskLevel.HIGH) >= 0).as("p = %s", p).isEqualTo(t.maintenanceNeeded(p));
        }
    }
}
