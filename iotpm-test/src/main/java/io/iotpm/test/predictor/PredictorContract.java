package io.iotpm.test.predictor;

import io.iotpm.core.Channel;
import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.Predictor;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The behaviour every {@link Predictor} has, whatever model is behind it: a prediction names the
 * device and the newest reading of its window, only the newest {@link Predictor#sequenceLength()}
 * readings count, a window of {@link Predictor#minHistory()} readings is taken (a predictor that pads
 * takes fewer than the sequence length), shorter windows and readings of another schema are refused with
 * {@link IllegalArgumentException}, {@link Predictor#predictBatch(List)} agrees with
 * {@link Predictor#predict(String, List)} in order, and many threads may predict at once.
 * The LSTM, the ensemble, the TensorFlow SavedModel predictor and the examples' baseline run it.
 *
 * <p>A model author adds {@code io.iotpm:iotpm-test} with test scope and writes one test class:
 * <pre>{@code
 * class OnnxPredictorTest extends PredictorContract {
 *     @Override
 *     protected Predictor createPredictor() {
 *         return OnnxPredictor.load(Path.of("src/test/resources/tiny.onnx"));
 *     }
 * }
 * }</pre>
 * The suite makes one predictor per test class (models are slow to train or load) and closes it
 * after the last test; keep it small, the suite checks behaviour, not accuracy. Windows come from
 * {@link #window(String, int, long)}, which a predictor with needs of its own can override.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class PredictorContract {

    /** Time of the first reading of every window the suite makes. */
    protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** A schema no predictor under test expects. */
    private static final SensorSchema OTHER = SensorSchema.builder("contract_other")
            .channel(Channel.builder("level").unit("m").nominal(1).normalRange(0, 2).physicalRange(-10, 10))
            .build();
    /** Batching may change the order of floating-point sums, so batch and single results may differ by this. */
    private static final double TOLERANCE = 1e-5;

    private Predictor predictor;

    /**
     * Makes the predictor under test, ready to predict (trained or loaded). Called once per test class.
     *
     * @return the predictor; the suite closes it after the last test
     */
    protected abstract Predictor createPredictor();

    /**
     * Readings for one device, one minute apart from {@link #T0}, oldest first, of the predictor's
     * schema. The default draws each channel around its normal range, and lets the values of some
     * seeds drift out of it, so predictions differ between windows.
     *
     * @param deviceId the device
     * @param length   how many readings
     * @param seed     selects the values; the same seed gives the same window
     * @return the readings
     */
    protected List<SensorReading> window(String deviceId, int length, long seed) {
        SensorSchema schema = predictor().schema();
        Random random = new Random(seed);
        double drift = seed % 2 == 0 ? 0 : 1.5;
        List<SensorReading> out = new ArrayList<>(length);
        for (int t = 0; t < length; t++) {
            double[] values = new double[schema.size()];
            for (int c = 0; c < values.length; c++) {
                Channel ch = schema.channel(c);
                double span = Math.max(ch.normalMax() - ch.normalMin(), 1e-9);
                double v = ch.nominal() + span * (0.1 * random.nextGaussian() + drift * t / length);
                values[c] = Math.max(ch.physicalMin(), Math.min(ch.physicalMax(), v));
            }
            out.add(SensorReading.of(deviceId, T0.plus(Duration.ofMinutes(t)), schema, values));
        }
        return out;
    }

    /** @return the predictor under test */
    protected final Predictor predictor() {
        return predictor;
    }

    @BeforeAll
    void openPredictor() {
        predictor = createPredictor();
    }

    @AfterAll
    void closePredictor() {
        if (predictor != null) {
            predictor.close();
        }
    }

    private List<DeviceWindow> windows(int count, int length) {
        List<DeviceWindow> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = String.format(Locale.ROOT, "DEV_%03d", i);
            out.add(new DeviceWindow(id, window(id, length, 100 + i)));
        }
        return out;
    }

    private static void assertSamePrediction(Prediction actual, Prediction expected) {
        assertThat(actual.deviceId()).isEqualTo(expected.deviceId());
        assertThat(actual.timestamp()).isEqualTo(expected.timestamp());
        assertThat(actual.modelVersion()).isEqualTo(expected.modelVersion());
        assertThat(actual.failureProbability()).as("failure probability of %s", expected.deviceId())
                .isCloseTo(expected.failureProbability(), within(TOLERANCE));
        assertThat(actual.hasRemainingUsefulLife()).isEqualTo(expected.hasRemainingUsefulLife());
        if (expected.hasRemainingUsefulLife()) {
            assertThat(actual.remainingUsefulLife()).as("remaining useful life of %s", expected.deviceId())
                    .isCloseTo(expected.remainingUsefulLife(), within(TOLERANCE * Math.max(1, expected.remainingUsefulLife())));
        }
    }

    @Test
    void describesTheWindowsItTakes() {
        assertThat(predictor().schema()).isNotNull();
        assertThat(predictor().sequenceLength()).isPositive();
        assertThat(predictor().minHistory()).isBetween(1, predictor().sequenceLength());
    }

    @Test
    void predict_isForTheGivenDevice_atItsNewestReading() {
        List<SensorReading> w = window("PUMP_001", predictor().sequenceLength(), 1);
        Prediction p = predictor().predict("PUMP_001", w);
        assertThat(p.deviceId()).isEqualTo("PUMP_001");
        assertThat(p.timestamp()).isEqualTo(w.get(w.size() - 1).timestamp());
        assertThat(p.failureProbability()).isBetween(0.0, 1.0);
        assertThat(p.riskLevel()).isNotNull();
        assertThat(p.modelVersion()).isNotBlank();
    }

    @Test
    void predict_ofALongerWindow_usesOnlyTheNewestSequenceLengthReadings() {
        int n = predictor().sequenceLength();
        List<SensorReading> longer = window("PUMP_001", n + 7, 3);
        Prediction all = predictor().predict("PUMP_001", longer);
        Prediction newest = predictor().predict("PUMP_001", longer.subList(7, n + 7));
        assertSamePrediction(all, newest);
    }

    @Test
    void predict_rejectsAWindowShorterThanItsMinimumHistory() {
        List<SensorReading> w = window("PUMP_001", predictor().minHistory(), 1);
        assertThatThrownBy(() -> predictor().predict("PUMP_001", w.subList(1, w.size())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void predict_acceptsAWindowOfItsMinimumHistory() {
        List<SensorReading> w = window("PUMP_001", predictor().minHistory(), 2);
        Prediction p = predictor().predict("PUMP_001", w);
        assertThat(p.timestamp()).isEqualTo(w.get(w.size() - 1).timestamp());
        assertThat(p.failureProbability()).isBetween(0.0, 1.0);
    }

    @Test
    void predict_rejectsReadingsOfAnotherSchema() {
        int n = predictor().sequenceLength();
        List<SensorReading> other = new ArrayList<>(n);
        for (int t = 0; t < n; t++) {
            other.add(SensorReading.of("PUMP_001", T0.plus(Duration.ofMinutes(t)), OTHER, 1.0));
        }
        assertThatThrownBy(() -> predictor().predict("PUMP_001", other))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void predictBatch_givesOnePredictionPerWindow_inOrder_asPredictDoes() {
        List<DeviceWindow> windows = windows(6, predictor().sequenceLength() + 2);
        List<Prediction> batch = predictor().predictBatch(windows);
        assertThat(batch).hasSize(windows.size());
        for (int i = 0; i < windows.size(); i++) {
            DeviceWindow w = windows.get(i);
            assertSamePrediction(batch.get(i), predictor().predict(w.deviceId(), w.readings()));
        }
    }

    @Test
    void predictBatch_ofNoWindows_isEmpty() {
        assertThat(predictor().predictBatch(List.of())).isEmpty();
    }

    @Test
    void predict_givesTheSameAnswerAgain_fromManyThreadsAtOnce() throws Exception {
        List<DeviceWindow> windows = windows(8, predictor().sequenceLength());
        List<Prediction> expected = predictor().predictBatch(windows);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Prediction>>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> {
                    List<Prediction> out = new ArrayList<>();
                    for (DeviceWindow w : windows) {
                        out.add(predictor().predict(w.deviceId(), w.readings()));
                    }
                    return out;
                }));
            }
            for (Future<List<Prediction>> f : futures) {
                List<Prediction> got = f.get();
                for (int i = 0; i < windows.size(); i++) {
                    assertSamePrediction(got.get(i), expected.get(i));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
