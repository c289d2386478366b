package io.iotpm.ml;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EnsemblePredictorTest {

    static Synthetic data;
    static EnsemblePredictor ensemble;
    static List<DeviceWindow> windows;

    static LstmPredictor.Builder small() {
        return LstmPredictor.builder(Synthetic.SCHEMA).sequenceLength(12).horizon(10).stride(3)
                .layers(6).dropout(0.1).epochs(2).batchSize(64).earlyStoppingPatience(0).seed(11);
    }

    @BeforeAll
    static void train() {
        data = Synthetic.fleet(6, 300, 3);
        ensemble = EnsemblePredictor.train(small(), 3, data.set(), TrainingListener.NONE);
        windows = new ArrayList<>();
        for (String id : data.set().deviceIds()) {
            windows.add(new DeviceWindow(id, data.lastReadings(id, 20)));
        }
    }

    @AfterAll
    static void close() {
        ensemble.close();
    }

    @Test
    void predictBatch_averagesTheMembersProbabilitiesAndUsesTheirMeanThreshold() {
        List<Prediction> ps = ensemble.predictBatch(windows);
        double meanThreshold = ensemble.members().stream().mapToDouble(LstmPredictor::threshold).average().orElseThrow();
        assertThat(ensemble.threshold()).isCloseTo(meanThreshold, within(1e-12));
        for (int i = 0; i < windows.size(); i++) {
            double sum = 0;
            for (LstmPredictor m : ensemble.members()) {
                sum += m.predictBatch(List.of(windows.get(i))).get(0).failureProbability();
            }
            Prediction p = ps.get(i);
            assertThat(p.failureProbability()).isCloseTo(sum / 3, within(1e-6));
            assertThat(p.maintenanceNeeded()).isEqualTo(p.failureProbability() >= ensemble.threshold());
            assertThat(p.modelVersion()).isEqualTo(ensemble.version()).startsWith("ensemble-");
            assertThat(p.hasRemainingUsefulLife()).isFalse();
        }
        assertThat(ensemble.predict(windows.get(0).deviceId(), windows.get(0).readings()).failureProbability())
                .isCloseTo(ps.get(0).failureProbability(), within(1e-6));
    }

    @Test
    void train_givesMemberIItTheBuildersSeedPlusI() {
        assertThat(ensemble.members()).hasSize(3);
        assertThat(ensemble.members().stream().map(LstmPredictor::version).distinct()).hasSize(3);
        try (LstmPredictor second = small().seed(12).build()) {
            second.train(data.set());
            assertThat(second.version()).isEqualTo(ensemble.members().get(1).version());
        }
    }

    @Test
    void membersWithDifferentWindows_eachReadTheNewestReadingsTheyNeed(@TempDir Path dir) throws IOException {
        List<LstmPredictor.Builder> builders = List.of(small().sequenceLength(8).seed(21),
                small().sequenceLength(12).minHistory(10).seed(22));
        try (EnsemblePredictor mixed = EnsemblePredictor.train(builders, data.set(), TrainingListener.NONE)) {
            assertThat(mixed.sequenceLength()).isEqualTo(12);
            assertThat(mixed.minHistory()).as("the largest minimum history").isEqualTo(10);
            List<Prediction> ps = mixed.predictBatch(windows);
            for (int i = 0; i < windows.size(); i++) {
                List<io.iotpm.core.SensorReading> r = windows.get(i).readings();
                double shortOne = mixed.members().get(0).predict(windows.get(i).deviceId(), r.subList(r.size() - 8,
                        r.size())).failureProbability();
                double longOne = mixed.members().get(1).predict(windows.get(i).deviceId(), r.subList(r.size() - 12,
                        r.size())).failureProbability();
                assertThat(ps.get(i).failureProbability()).isCloseTo((shortOne + longOne) / 2, within(1e-6));
            }
            mixed.save(dir);
            try (EnsemblePredictor back = EnsemblePredictor.load(dir, Synthetic.SCHEMA)) {
                assertThat(back.sequenceLength()).isEqualTo(12);
                assertThat(back.members()).extracting(LstmPredictor::sequenceLength).containsExactly(8, 12);
                assertThat(back.predictBatch(windows).get(0).failureProbability())
                        .isCloseTo(ps.get(0).failureProbability(), within(1e-6));
            }
        }
        assertThatThrownBy(() -> EnsemblePredictor.train(List.of(), data.set(), TrainingListener.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was 0");
    }

    @Test
    void rulEnsemble_averagesRemainingUsefulLifeAndDecidesAtTheHorizon() {
        try (EnsemblePredictor rul = EnsemblePredictor.train(small().task(LstmPredictor.Task.RUL_REGRESSION).rulCap(60),
                2, data.set(), TrainingListener.NONE)) {
            List<Prediction> ps = rul.predictBatch(windows);
            for (int i = 0; i < windows.size(); i++) {
                double a = rul.members().get(0).predictBatch(List.of(windows.get(i))).get(0).remainingUsefulLife();
                double b = rul.members().get(1).predictBatch(List.of(windows.get(i))).get(0).remainingUsefulLife();
                Prediction p = ps.get(i);
                assertThat(p.remainingUsefulLife()).isCloseTo((a + b) / 2, within(1e-4));
                assertThat(p.maintenanceNeeded()).isEqualTo(p.remainingUsefulLife() <= 10);
                assertThat(p.failureProbability()).isCloseTo(rul.members().get(0).rulProbability(p.remainingUsefulLife()),
                        within(1e-12));
            }
        }
    }

    @Test
    void saveAndLoad_giveIdenticalPredictions(@TempDir Path dir) throws IOException {
        ensemble.save(dir);
        assertThat(dir.resolve("ensemble.json")).exists();
        assertThat(dir.resolve("member-3").resolve("model.json")).exists();
        try (EnsemblePredictor again = EnsemblePredictor.load(dir, Synthetic.SCHEMA)) {
            assertThat(again.version()).isEqualTo(ensemble.version());
            List<Prediction> a = ensemble.predictBatch(windows);
            List<Prediction> b = again.predictBatch(windows);
            for (int i = 0; i < a.size(); i++) {
                assertThat(b.get(i).failureProbability()).isCloseTo(a.get(i).failureProbability(), within(1e-6));
            }
        }
    }

    @Test
    void load_rejectsMissingManifestNewerFormatAndMissingMember(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> EnsemblePredictor.load(dir, Synthetic.SCHEMA))
                .isInstanceOf(IOException.class).hasMessageContaining("ensemble.json is missing");
        Files.writeString(dir.resolve("ensemble.json"), "{\"kind\":\"iotpm-ensemble\",\"formatVersion\":9,\"members\":1}",
                StandardCharsets.UTF_8);
        assertThatThrownBy(() -> EnsemblePredictor.load(dir, Synthetic.SCHEMA))
                .isInstanceOf(IOException.class).hasMessageContaining("format version 9");
        Files.writeString(dir.resolve("ensemble.json"), "{\"kind\":\"iotpm-ensemble\",\"formatVersion\":1,\"members\":2}",
                StandardCharsets.UTF_8);
        assertThatThrownBy(() -> EnsemblePredictor.load(dir, Synthetic.SCHEMA))
                .isInstanceOf(IOException.class).hasMessageContaining("member-1");
        Files.writeString(dir.resolve("ensemble.json"), "{\"kind\":\"iotpm-ensem", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> EnsemblePredictor.load(dir, Synthetic.SCHEMA))
                .isInstanceOf(IOException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void of_rejectsEmptyUntrainedAndMismatchedMembers() {
        assertThatThrownBy(() -> EnsemblePredictor.of(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one member");
        try (LstmPredictor untrained = small().build();
             LstmPredictor otherHorizon = small().horizon(5).build()) {
            assertThatThrownBy(() -> EnsemblePredictor.of(List.of(ensemble.members().get(0), untrained)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("member 1 is not trained");
            otherHorizon.train(data.set());
            assertThatThrownBy(() -> EnsemblePredictor.of(List.of(ensemble.members().get(0), otherHorizon)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("horizon 5");
        }
        assertThatThrownBy(() -> EnsemblePredictor.train(small(), 0, data.set(), TrainingListener.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was 0");
    }
}
