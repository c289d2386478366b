package io.iotpm.ml;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.SensorReading;
import io.iotpm.ml.network.LstmNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link LstmPredictor.Builder#minHistory(int)}: windows shorter than the sequence length, down to the
 * minimum history, are padded at the front with their oldest reading, in training as in predictions.
 */
class MinHistoryTest {

    private static final int LEN = 16;
    private static final int MIN = 6;
    private static Synthetic data;
    private static LstmPredictor padded;

    private static LstmPredictor.Builder builder() {
        return LstmPredictor.builder(Synthetic.SCHEMA).task(LstmPredictor.Task.RUL_REGRESSION).rulCap(60)
                .sequenceLength(LEN).horizon(10).layers(6).epochs(1).batchSize(64).earlyStoppingPatience(0)
                .validationFraction(0).seed(7);
    }

    @BeforeAll
    static void train() {
        data = Synthetic.fleet(4, 300, 11);
        padded = builder().minHistory(MIN).build();
        padded.train(data.set());
    }

    @AfterAll
    static void close() {
        padded.close();
    }

    @Test
    void rejectsMinHistoryBelowOneOrAboveTheSequenceLength() {
        assertThatThrownBy(() -> builder().minHistory(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minHistory must be >= 1, but was 0");
        assertThatThrownBy(() -> builder().minHistory(LEN + 1).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minHistory " + (LEN + 1) + " must not exceed sequenceLength " + LEN);
    }

    @Test
    void withoutMinHistory_aWindowNeedsTheWholeSequenceLength() {
        try (LstmPredictor full = builder().build()) {
            assertThat(full.minHistory()).isEqualTo(LEN);
            full.train(data.set());
            List<SensorReading> shortWindow = data.lastReadings("DEV_000", LEN - 1);
            assertThatThrownBy(() -> full.predict("DEV_000", shortWindow)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has " + (LEN - 1) + " readings, but the model needs at least " + LEN);
        }
    }

    @Test
    void training_cutsTheShortWindowsAtEveryDevicesStartToo() {
        try (LstmPredictor full = builder().build()) {
            full.train(data.set());
            int devices = data.set().deviceIds().size();
            // Windows may now end at readings MIN..LEN-1 of each device (all before its first failure).
            assertThat(padded.report().trainWindows() - full.report().trainWindows()).isEqualTo(devices * (LEN - MIN));
        }
    }

    @Test
    void aShortWindow_isPredictedAsIfPaddedWithItsOldestReading() {
        List<SensorReading> history = data.readings.stream().filter(r -> r.deviceId().equals("DEV_001")).limit(40)
                .toList();
        for (int n = MIN; n <= LEN; n++) {
            List<SensorReading> shortWindow = history.subList(0, n);
            List<SensorReading> manual = new ArrayList<>();
            SensorReading first = shortWindow.get(0);
            for (int k = LEN - n; k >= 1; k--) {
                manual.add(SensorReading.of(first.deviceId(), first.timestamp().minus(Duration.ofMinutes(k)),
                        first.schema(), first.values()));
            }
            manual.addAll(shortWindow);
            Prediction p = padded.predict("DEV_001", shortWindow);
            assertThat(p.remainingUsefulLife()).as("%d readings", n)
                    .isCloseTo(padded.predict("DEV_001", manual).remainingUsefulLife(), within(1e-9));
            assertThat(p.timestamp()).isEqualTo(shortWindow.get(n - 1).timestamp());
        }
    }

    @Test
    void aWindowBelowTheMinimumHistory_isRejectedNamingBothCounts() {
        List<SensorReading> tooShort = data.lastReadings("DEV_002", MIN - 1);
        assertThatThrownBy(() -> padded.predict("DEV_002", tooShort)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("device 'DEV_002' has " + (MIN - 1) + " readings, but the model needs at least " + MIN);
    }

    @Test
    void aShortWindowOutOfTimeOrder_isRejectedAsAFullOneIs() {
        List<SensorReading> w = new ArrayList<>(data.lastReadings("DEV_001", MIN + 1));
        SensorReading moved = w.remove(2);
        w.add(3, moved);
        assertThatThrownBy(() -> padded.predict("DEV_001", w)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not in time order");
    }

    @Test
    void aSavedModel_keepsItsMinimumHistory(@TempDir Path dir) throws Exception {
        padded.save(dir);
        List<SensorReading> shortWindow = data.lastReadings("DEV_003", MIN + 2);
        try (LstmPredictor loaded = Predictors.load(dir, Synthetic.SCHEMA)) {
            assertThat(loaded.minHistory()).isEqualTo(MIN);
            assertThat(loaded.predict("DEV_003", shortWindow).remainingUsefulLife())
                    .isCloseTo(padded.predict("DEV_003", shortWindow).remainingUsefulLife(), within(1e-9));
        }
    }

    @Test
    void theEngineNeutralNetwork_carriesTheMinimumHistoryAndMatchesOnAPaddedWindow() {
        LstmNetwork net = padded.network();
        assertThat(net.minHistory()).isEqualTo(MIN);
        List<SensorReading> shortWindow = data.lastReadings("DEV_000", MIN + 3);
        double[] raw = new double[LEN * Synthetic.SCHEMA.size()];
        for (int t = 0; t < LEN; t++) {
            shortWindow.get(Math.max(0, t - (LEN - shortWindow.size()))).copyValuesTo(raw, t * Synthetic.SCHEMA.size());
        }
        assertThat(net.forward(raw, LEN)).isCloseTo(padded.predict("DEV_000", shortWindow).remainingUsefulLife(),
                within(1e-3));
    }

    @Test
    void anEnsemble_ofMembersWithDifferentMinimumHistories_needsTheLargest() {
        try (LstmPredictor full = builder().build()) {
            full.train(data.set());
            // Not closed: closing an ensemble closes its members, and the padded one serves the other tests.
            EnsemblePredictor both = EnsemblePredictor.of(List.of(padded, full));
            assertThat(both.minHistory()).isEqualTo(LEN);
            assertThat(both.sequenceLength()).isEqualTo(LEN);
            List<SensorReading> window = data.lastReadings("DEV_000", LEN);
            assertThat(both.predict("DEV_000", window).remainingUsefulLife()).isCloseTo(
                    (padded.predict("DEV_000", window).remainingUsefulLife()
                            + full.predict("DEV_000", window).remainingUsefulLife()) / 2, within(1e-6));
            // The unpadded member cannot read a short window, so neither can the ensemble.
            assertThatThrownBy(() -> both.predict("DEV_000", data.lastReadings("DEV_000", MIN)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** A window padded by the caller and the same window padded by the predictor are one input. */
    @Test
    void paddedWindows_ofABatch_matchTheirSinglePredictions() {
        List<DeviceWindow> batch = new ArrayList<>();
        for (int n = MIN; n <= LEN; n += 3) {
            batch.add(new DeviceWindow("DEV_002", data.lastReadings("DEV_002", n)));
        }
        List<Prediction> all = padded.predictBatch(batch);
        for (int i = 0; i < batch.size(); i++) {
            assertThat(all.get(i).remainingUsefulLife()).isCloseTo(
                    padded.predict("DEV_002", batch.get(i).readings()).remainingUsefulLife(), within(1e-4));
        }
    }
}
