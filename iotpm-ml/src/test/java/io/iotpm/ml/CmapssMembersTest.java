package io.iotpm.ml;

import io.iotpm.ml.cmapss.CmapssSettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The C-MAPSS protocols' member builders, seen through the package's view of a predictor's configuration. */
class CmapssMembersTest {

    @Test
    void rulProtocol_canTrainOnEveryEngine_whileTheBinaryProtocolsRulMembersKeepTheirHoldout() {
        CmapssSettings d = CmapssSettings.defaults(42);
        assertThat(d.rulHoldout()).isEqualTo(0.2);
        assertThat(d.rulSchedule()).isEqualTo(LstmPredictor.Schedule.PLATEAU);
        assertThat(d.binaryReusesRul()).as("only the windows differ").isFalse();
        assertThat(d.toBuilder().binaryRulWindow(d.rulWindows().get(0)).build().binaryReusesRul()).isTrue();
        CmapssSettings full = d.toBuilder().rulHoldout(0).rulSchedule(LstmPredictor.Schedule.COSINE).rulEpochs(25)
                .binaryRulWindow(d.rulWindows().get(0)).build();
        try (LstmPredictor rul = full.regressors().get(0).build(); LstmPredictor binaryRul = full.binaryRegressor().build()) {
            assertThat(rul.config().validationFraction()).isZero();
            assertThat(rul.config().epochs()).isEqualTo(25);
            assertThat(rul.config().schedule()).isEqualTo(LstmPredictor.Schedule.COSINE);
            assertThat(binaryRul.config().validationFraction()).as("its hold-out chooses the thresholds")
                    .isEqualTo(0.2);
            assertThat(binaryRul.config().epochs()).isEqualTo(CmapssSettings.DEFAULT_BINARY_RUL_EPOCHS);
            assertThat(binaryRul.config().schedule()).isEqualTo(CmapssSettings.DEFAULT_SCHEDULE);
        }
        // One ensemble serves both protocols only when they would train it the same way.
        assertThat(full.binaryReusesRul()).isFalse();
        assertThatThrownBy(() -> d.toBuilder().rulHoldout(0).build())
                .hasMessageContaining("PLATEAU needs a hold-out").hasMessageContaining("rulHoldout was 0");
        assertThatThrownBy(() -> d.toBuilder().rulHoldout(0.6).build())
                .hasMessageContaining("rulHoldout must be in [0, 0.5], but was 0.6");
        assertThatThrownBy(() -> d.toBuilder().binaryRulEpochs(0).build())
                .hasMessageContaining("0 (binary RUL)");
    }

    @Test
    void rulProtocol_givesMemberIItsSeedPlusIAndTheWindowsInTurn() {
        CmapssSettings mixed = CmapssSettings.builder().seed(7).ensemble(4).rulWindows(30, 50, 80).build();
        List<LstmPredictor.Builder> members = mixed.regressors();
        assertThat(members).hasSize(4);
        for (int i = 0; i < 4; i++) {
            try (LstmPredictor m = members.get(i).build()) {
                assertThat(m.config().seed()).isEqualTo(7 + i);
                assertThat(m.sequenceLength()).isEqualTo(List.of(30, 50, 80, 30).get(i));
                assertThat(m.minHistory()).isEqualTo(CmapssSettings.RUL_MIN_HISTORY);
            }
        }
        assertThat(mixed.binaryReusesRul()).as("the binary protocol's members all read one window").isFalse();
        assertThat(mixed.toBuilder().rulWindows(30, 30).binaryRulEpochs(mixed.rulEpochs()).build().binaryReusesRul())
                .isTrue();
    }
}
