package io.iotpm.ml.cmapss;

import io.iotpm.core.SensorReading;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

/** The protocol logic the {@code ./iotpm cmapss} command runs: settings, cases, the combined decision. */
class CmapssProtocolTest {

    @Test
    void settings_rejectBadValuesNamingThem() {
        CmapssSettings d = CmapssSettings.defaults(42);
        assertThat(d.binaryDecision()).isEqualTo(BinaryDecision.COMBINED);
        assertThatThrownBy(() -> BinaryDecision.parse("vote"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'vote'");
        assertThat(BinaryDecision.parse("classifier")).isEqualTo(BinaryDecision.CLASSIFIER);
        assertThatThrownBy(() -> CmapssSettings.builder().ensemble(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was 0");
        assertThatThrownBy(() -> CmapssSettings.builder().binaryWindow(201).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("binary window must be in [5, 200], but was 201");
        // A classifier window above the protocol's 50 cycles pads the engines with 50 to 79 cycles instead of dropping them.
        try (io.iotpm.ml.LstmPredictor c = CmapssSettings.builder().binaryWindow(80).build()
                .classifier().build()) {
            assertThat(c.sequenceLength()).isEqualTo(80);
            assertThat(c.minHistory()).isEqualTo(CmapssSettings.BINARY_WINDOW);
        }
        assertThatThrownBy(() -> CmapssSettings.builder().minCorrelation(1.5).build().classifier())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
    }

    @Test
    void builder_startsAtTheDefaults_andToBuilderKeepsEverySetting() {
        CmapssSettings d = CmapssSettings.builder().build();
        assertThat(d).isEqualTo(CmapssSettings.defaults(42));
        assertThat(d.rulWindows()).containsExactly(CmapssSettings.DEFAULT_RUL_WINDOW);
        assertThat(d.binaryRulWindow()).isEqualTo(CmapssSettings.DEFAULT_BINARY_RUL_WINDOW);
        assertThat(d.ensemble()).isEqualTo(CmapssSettings.DEFAULT_ENSEMBLE);
        CmapssSettings changed = d.toBuilder().seed(7).rulWindow(80).binaryDecision(BinaryDecision.RUL).dropout(0.3)
                .build();
        assertThat(changed.toBuilder().build()).isEqualTo(changed);
        assertThat(changed).isEqualTo(new CmapssSettings(d.binaryEpochs(), d.rulEpochs(), 7, d.rolling(), d.slope(),
                d.ensemble(), d.minCorrelation(), BinaryDecision.RUL, d.binaryWindow(), d.calibration(), d.schedule(),
                0.3, d.smoothing(), d.rulAverage(), List.of(80), d.binaryRulWindow(), d.rulHoldout(), d.rulSchedule(),
                d.binaryRulEpochs()));
        assertThatThrownBy(() -> d.toBuilder().rulWindow(29).build())
                .hasMessageContaining("rulWindow must be in [30, 200], but was 29");
        assertThatThrownBy(() -> d.toBuilder().rulWindows().build())
                .hasMessageContaining("rulWindows must hold 1 to 100 windows, but was []");
        assertThatThrownBy(() -> d.toBuilder().rulWindows((java.util.List<Integer>) null).build())
                .hasMessageContaining("but was null");
        assertThatThrownBy(() -> d.toBuilder().binaryDecision(null).build())
                .hasMessageContaining("binary decision must not be null");
    }

    @Test
    void combine_averagesClassifierProbabilityAndRulScore() {
        assertThat(CmapssEvaluation.combine(new double[] {0.9, 0.1, 0.6}, new double[] {0.5, 0.3, 0.0}))
                .containsExactly(0.7, 0.2, 0.3);
        assertThatThrownBy(() -> CmapssEvaluation.combine(new double[2], new double[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 probabilities with 3");
    }

    @Test
    void combinedThreshold_isTheMeanOfEachPairsBestF1ThresholdOnItsOwnValidationWindows() {
        // Pair 1 separates its classes best at 0.6, pair 2 at 0.8: the rule uses 0.7.
        boolean[] labels = {false, false, true, true};
        double t = CmapssEvaluation.combinedThreshold(List.of(labels, labels),
                List.of(new double[] {0.1, 0.5, 0.6, 0.9}, new double[] {0.2, 0.7, 0.8, 0.95}));
        assertThat(t).isCloseTo(0.7, offset(1e-12));
        assertThatThrownBy(() -> CmapssEvaluation.combinedThreshold(List.of(labels), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 1 and 0");
    }

    @Test
    void allWindows_labelsEveryWindowOfAHeldOutEngineFromItsEnd() {
        Map<String, List<SensorReading>> engines = new LinkedHashMap<>();
        engines.put("engine_001", engine("engine_001", 60));
        ProtocolCases cases = ProtocolCases.allWindows(engines, 50);
        assertThat(cases.windows()).hasSize(11);
        assertThat(cases.windows().get(0).readings()).hasSize(50);
        // The last window ends at the failure (RUL 0); the first ends 10 cycles before it.
        assertThat(cases.rul()).startsWith(10.0).endsWith(0.0);
        assertThat(cases.labels()).containsOnly(true);
        // A shorter model window is scored on the same end cycles.
        ProtocolCases shorter = ProtocolCases.allWindows(engines, 30, 50);
        assertThat(shorter.windows()).hasSize(11);
        // Each case carries the engine's history up to its end (the model reads its last 30 cycles).
        assertThat(shorter.windows().get(0).readings()).hasSize(50);
        assertThat(shorter.windows().get(10).readings()).hasSize(60);
        assertThat(shorter.rul()).containsExactly(cases.rul());
    }

    @Test
    void lastWindows_skipsShortEnginesForTheBinaryProtocolAndCapsTheTruth() {
        List<Cmapss.TestEngine> engines = List.of(new Cmapss.TestEngine("engine_001", engine("engine_001", 60), 200),
                new Cmapss.TestEngine("engine_002", engine("engine_002", 40), 12));
        ProtocolCases binary = ProtocolCases.lastWindows(engines, 50, true);
        assertThat(binary.windows()).hasSize(1);
        assertThat(binary.rul()).containsExactly(125.0);
        assertThat(binary.labels()).containsExactly(false);
        ProtocolCases rul = ProtocolCases.lastWindows(engines, 30, false);
        assertThat(rul.labels()).containsExactly(false, true);
        assertThatThrownBy(() -> ProtocolCases.lastWindows(engines, 50, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("engine_002 has only 40");
    }

    @Test
    void holdOut_isAFixedSplitThatLeavesTrainingEngines() {
        List<String> ids = List.of("a", "b", "c", "d", "e");
        CmapssEvaluation.Split split = CmapssEvaluation.holdOut(ids, 2, 1);
        assertThat(split.held()).hasSize(2).isSorted();
        assertThat(split.kept()).hasSize(3).isSorted().doesNotContainAnyElementsOf(split.held());
        assertThat(CmapssEvaluation.holdOut(ids, 2, 1)).isEqualTo(split);
        assertThatThrownBy(() -> CmapssEvaluation.holdOut(ids, 5, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was 5");
    }

    private static List<SensorReading> engine(String id, int cycles) {
        List<SensorReading> rs = new ArrayList<>();
        for (int c = 1; c <= cycles; c++) {
            rs.add(SensorReading.of(id, Cmapss.START.plus(Cmapss.CYCLE.multipliedBy(c)), Cmapss.schema(),
                    new double[Cmapss.schema().size()]));
        }
        return rs;
    }
}
