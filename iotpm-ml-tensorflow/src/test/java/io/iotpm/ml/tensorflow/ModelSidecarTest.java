package io.iotpm.ml.tensorflow;

import io.iotpm.ml.network.DerivedFeatures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelSidecarTest {

    @Test
    void roundTrips_throughJson(@TempDir Path dir) throws Exception {
        ModelSidecar s = ModelSidecar.of("v1", List.of("a", "b"), 60)
                .withScaler(Scaler.minMax(new double[] {0, 10}, new double[] {1, 30}))
                .withThresholds(new RiskThresholds(0.1, 0.5, 0.9, 0.7))
                .withSignature("serving_default", "window", "failure_probability")
                .withOutputKind(ModelSidecar.OutputKind.LOGIT);
        s.write(dir);
        ModelSidecar back = ModelSidecar.read(dir).orElseThrow();
        assertThat(back).isEqualTo(s);
        assertThat(back.scaler().apply(1, 20)).isEqualTo(0.5);
    }

    @Test
    void minHistory_roundTripsIsWrittenOnlyWhenItPadsAndIsChecked() {
        ModelSidecar full = ModelSidecar.of("v1", List.of("a"), 50).withRulOutput(30);
        assertThat(full.minHistory()).isEqualTo(50);
        assertThat(full.toJson()).doesNotContain("min_history");
        ModelSidecar padded = full.withMinHistory(30);
        assertThat(padded.toJson()).contains("\"min_history\" : 30");
        assertThat(ModelSidecar.parse(padded.toJson())).isEqualTo(padded);
        assertThatThrownBy(() -> full.withMinHistory(51)).hasMessageContaining("min_history must be in [1, sequence_length 50], but was 51");
        assertThatThrownBy(() -> full.withMinHistory(0)).hasMessageContaining("min_history must be >= 1, but was 0");
        assertThatThrownBy(() -> ModelSidecar.parse("{\"channels\": [\"a\"], \"sequence_length\": 3,"
                + " \"min_history\": \"two\"}")).hasMessageContaining("min_history must be an integer");
    }

    @Test
    void rulOutput_roundTripsAndNeedsAHorizon() {
        ModelSidecar s = ModelSidecar.of("v1", List.of("a"), 5).withRulOutput(10);
        assertThat(ModelSidecar.parse(s.toJson())).isEqualTo(s);
        assertThatThrownBy(() -> ModelSidecar.parse("{\"channels\": [\"a\"], \"sequence_length\": 3,"
                + " \"output_kind\": \"rul\"}")).hasMessageContaining("horizon must be > 0 for a rul output");
        assertThatThrownBy(() -> ModelSidecar.parse("{\"channels\": [\"a\"], \"sequence_length\": 3,"
                + " \"horizon\": 4}")).hasMessageContaining("absent otherwise, but was 4 with output_kind probability");
    }

    @Test
    void derivedFeatures_roundTripAndAreChecked() {
        DerivedFeatures f = new DerivedFeatures(List.of("temperature", "rpm"), false, false, 5, 0,
                new float[] {1, 2, 3, 4, 5, 6}, new float[] {0.5f, 0.5f, 1, 1, 2, 2});
        List<String> names = List.of("t", "r", "t_mean5", "r_mean5", "t_std5", "r_std5");
        ModelSidecar s = ModelSidecar.of("v", names, 20).withFeatures(f);
        ModelSidecar back = ModelSidecar.parse(s.toJson());
        assertThat(back).isEqualTo(s);
        assertThat(back.features()).contains(f);
        assertThatThrownBy(() -> ModelSidecar.of("v", List.of("t", "r"), 20).withFeatures(f))
                .hasMessageContaining("features make 6 features but channels names 2");
        assertThatThrownBy(() -> new DerivedFeatures(List.of("t"), false, false, 1, 0, new float[2], new float[2]))
                .hasMessageContaining("must be 0 (off) or >= 2, but were 1 and 0");
        assertThatThrownBy(() -> new DerivedFeatures(List.of("t"), false, false, 0, 0, new float[2], new float[2]))
                .hasMessageContaining("have 2/2 entries, but the pipeline makes 1 features");
        assertThatThrownBy(() -> s.withScaler(Scaler.minMax(new double[6], new double[6])))
                .hasMessageContaining("cannot be combined");
        assertThatThrownBy(() -> ModelSidecar.parse("{\"channels\": [\"a\"], \"sequence_length\": 3,"
                + " \"features\": {\"channels\": [\"a\"], \"rollingWindow\": \"five\"}}"))
                .hasMessageContaining("features.rollingWindow must be an integer");
    }

    @Test
    void smoothedFeatures_roundTrip_andUnsmoothedOnesOmitTheField() {
        DerivedFeatures f = new DerivedFeatures(List.of("temperature"), false, false, 0, 0, 0.2,
                new float[] {1}, new float[] {0.5f});
        ModelSidecar s = ModelSidecar.of("v", List.of("t"), 20).withFeatures(f);
        assertThat(s.toJson()).contains("\"smoothing\" : 0.2");
        assertThat(ModelSidecar.parse(s.toJson()).features()).contains(f);
        DerivedFeatures plain = new DerivedFeatures(List.of("temperature"), false, false, 0, 0, new float[] {1},
                new float[] {0.5f});
        assertThat(ModelSidecar.of("v", List.of("t"), 20).withFeatures(plain).toJson()).doesNotContain("smoothing");
        assertThatThrownBy(() -> ModelSidecar.parse("{\"channels\": [\"a\"], \"sequence_length\": 3,"
                + " \"features\": {\"channels\": [\"a\"], \"smoothing\": \"much\"}}"))
                .hasMessageContaining("features.smoothing must be a number");
    }

    @Test
    void read_returnsEmptyWithoutFile(@TempDir Path dir) throws Exception {
        assertThat(ModelSidecar.read(dir)).isEmpty();
    }

    @Test
    void parse_acceptsSchemaChannelObjectsAndZScore() {
        ModelSidecar s = ModelSidecar.parse("""
                {"schema": {"channels": [{"name": "t"}, {"name": "p"}]}, "sequence_length": 5,
                 "scaler": {"type": "z_score", "mean": [1, 2], "std": [2, 0]}}""");
        assertThat(s.channels()).containsExactly("t", "p");
        assertThat(s.scaler().apply(0, 5)).isEqualTo(2.0);
        // A constant feature (std 0) is only shifted.
        assertThat(s.scaler().apply(1, 5)).isEqualTo(3.0);
        assertThat(s.thresholds()).isEqualTo(RiskThresholds.DEFAULT);
        assertThat(s.signature()).isEqualTo("serving_default");
        assertThat(s.modelVersion()).isEqualTo("unversioned");
    }

    @Test
    void parse_namesTheBadField() {
        assertThatThrownBy(() -> ModelSidecar.parse("{\"channels\": [\"a\"], \"sequence_length\": \"sixty\"}"))
                .hasMessageContaining("sequence_length must be an integer");
        assertThatThrownBy(() -> ModelSidecar.parse("{\"channels\": [\"a\"], \"sequence_length\": 0}"))
                .hasMessageContaining("sequence_length must be > 0, but was 0");
        assertThatThrownBy(() -> ModelSidecar.parse("{\"sequence_length\": 3}"))
                .hasMessageContaining("channels must be an array");
        assertThatThrownBy(() -> ModelSidecar.parse("{\"channels\": [\"a\"], \"sequence_length\": 3,"
                + " \"scaler\": {\"type\": \"robust\"}}")).hasMessageContaining("scaler.type must be none, min_max or z_score");
        assertThatThrownBy(() -> ModelSidecar.parse("{\"channels\": [\"a\"], \"sequence_length\": 3,"
                + " \"scaler\": {\"type\": \"min_max\", \"min\": [0, 1], \"max\": [1, 2]}}"))
                .hasMessageContaining("scaler has 2 features but there are 1 channels");
        assertThatThrownBy(() -> ModelSidecar.parse("{\"channels\": [\"a\"], \"sequence_length\": 3,"
                + " \"thresholds\": {\"high\": 1.5}}")).hasMessageContaining("high threshold must be in [0, 1], but was 1.5");
        assertThatThrownBy(() -> ModelSidecar.parse("{\"channels\": [\"a\"], \"sequence_length\": 3,"
                + " \"output_kind\": \"remaining\"}")).hasMessageContaining("output_kind must be 'probability', 'logit', 'rul' or 'reconstruction'");
        assertThatThrownBy(() -> ModelSidecar.parse("[1, 2]")).hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> ModelSidecar.parse("{")).hasMessageContaining("not valid JSON");
    }

    @Test
    void read_prefixesTheFileInErrors(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("model.json"), "{\"channels\": [\"a\", \"a\"], \"sequence_length\": 3}");
        assertThatThrownBy(() -> ModelSidecar.read(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model.json")
                .hasMessageContaining("channels must be distinct");
    }

    @Test
    void thresholds_mapProbabilityToRisk() {
        RiskThresholds t = RiskThresholds.DEFAULT;
        assertThat(t.riskOf(0.0)).isEqualTo(io.iotpm.core.RiskLevel.LOW);
        assertThat(t.riskOf(0.3)).isEqualTo(io.iotpm.core.RiskLevel.MEDIUM);
        assertThat(t.riskOf(0.6)).isEqualTo(io.iotpm.core.RiskLevel.HIGH);
        assertThat(t.riskOf(0.8)).isEqualTo(io.iotpm.core.RiskLevel.CRITICAL);
        assertThat(t.maintenanceNeeded(0.49)).isFalse();
        assertThat(t.maintenanceNeeded(0.5)).isTrue();
        assertThatThrownBy(() -> new RiskThresholds(0.5, 0.4, 0.9, 0.5)).hasMessageContaining("medium <= high <= critical");
    }
}
