package io.iotpm.examples.reliability;

import io.iotpm.alerts.Alert;
import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.AlertQuery;
import io.iotpm.alerts.rules.AlertRules;
import io.iotpm.core.Prediction;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.pipeline.MonitoringPipeline;
import io.iotpm.core.pipeline.PipelineMetrics;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.stream.Subscription;
import io.iotpm.core.stream.Topic;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.test.MutableClock;
import io.iotpm.test.stream.Disorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16's measurement, on the real stack (SQLite, a trained LSTM, the default alert rules): 20
 * devices, 600 readings each, 5 % of them one step late and 5 % delivered twice. It made 7,431 of
 * 12,446 predictions fail with "window ... is not in time order" and stored 12,626 rows; now no
 * prediction fails, 12,000 rows are stored, and the ordered, shuffled and duplicated deliveries of
 * one stream give the same stored data, predictions and alerts.
 */
class LateAndDuplicateReadingsTest {

    private static final Instant START = Instant.parse("2026-05-01T00:00:00Z");
    private static final int DEVICES = 20;
    private static final int STEPS = 600;
    private static final int WINDOW = 30;

    private static LstmPredictor lstm;
    private static List<SensorReading> ordered;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainAndSimulate() {
        lstm = SmallLstm.train(WINDOW, 3);
        Fleet fleet = Fleet.builder().devices(DEVICES).idPrefix("PUMP_").seed(16).failureProbability(0.5)
                .interval(Duration.ofMinutes(1)).start(START).build();
        ordered = fleet.history(Duration.ofMinutes(STEPS)).toList();
    }

    @AfterAll
    static void closeModel() {
        lstm.close();
    }

    /** What one delivery of the stream produced. */
    private record Outcome(PipelineMetrics metrics, Map<String, List<SensorReading>> stored, long rows,
                           List<String> predictions, List<String> alerts) {
    }

    private Outcome run(String name, List<SensorReading> delivered, MonitoringPipeline.Builder options) {
        MutableClock clock = new MutableClock(START);
        try (StreamHub hub = StreamHub.inMemory().capacity(1024).build();
             StorageBackend storage = StorageBackends.open("sqlite:" + dir.resolve(name + ".db"));
             AlertManager alerts = AlertManager.builder().clock(clock).tickInterval(Duration.ZERO)
                     .rules(AlertRules.defaults(SensorSchema.industrialMotor())).build()) {
            List<Prediction> predictions = Collections.synchronizedList(new ArrayList<>());
            Subscription sub = hub.subscribe(Topic.PREDICTIONS, predictions::add);
            MonitoringPipeline pipeline = options.hub(hub).storage(storage).predictor(lstm).listener(alerts)
                    .predictionBatchSize(64).batchSize(500).build().start();
            for (SensorReading r : delivered) {
                hub.publish(Topic.READINGS, r);
            }
            // Consumed before close(): the hub's drain at close has a timeout, and the machine is shared.
            await().atMost(Duration.ofMinutes(5))
                    .until(() -> pipeline.metrics().readingsReceived() == delivered.size());
            pipeline.close();
            assertThat(sub.awaitIdle(Duration.ofSeconds(60))).isTrue();
            Map<String, List<SensorReading>> stored = new TreeMap<>();
            long rows = 0;
            for (int d = 1; d <= DEVICES; d++) {
                String id = String.format("PUMP_%03d", d);
                stored.put(id, storage.range(id, START, START.plus(Duration.ofDays(1))));
                rows += storage.count(id);
            }
            List<String> preds = predictions.stream()
                    .sorted(Comparator.comparing(Prediction::deviceId).thenComparing(Prediction::timestamp))
                    .map(p -> p.deviceId() + " " + p.timestamp() + " " + String.format("%.5f", p.failureProbability()))
                    .toList();
            List<String> fired = alerts.history(AlertQuery.all()).stream()
                    .map(LateAndDuplicateReadingsTest::describe).sorted().toList();
            return new Outcome(pipeline.metrics(), stored, rows, preds, fired);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String describe(Alert a) {
        return a.rule() + " " + a.deviceId() + " " + a.message() + " x" + a.count();
    }

    @Test
    void oneStepLateAndTwiceDelivered_noPredictionFails_andEachReadingIsStoredOnce() {
        List<SensorReading> delivered = Disorder.duplicated(Disorder.oneStepLate(ordered, 0.05, 1), 0.05, 40, 2);
        assertThat(delivered.size()).isBetween(12_400, 12_800);
        Outcome o = run("measured", delivered, MonitoringPipeline.builder().predictEvery(Duration.ofMinutes(1)));
        PipelineMetrics m = o.metrics();
        assertThat(m.readingsReceived()).isEqualTo(delivered.size());
        assertThat(m.predictorErrors()).as("predictions failed: %s", m).isZero();
        assertThat(m.readingsOutOfOrder()).isGreaterThan(600);
        // One per newer reading once a device's window is full, (600 - 29) per device in order; a
        // reading that arrives after its successor makes none of its own (the successor's window was
        // predicted without it), so at most the 5 % late ones are missing, none blocked, none twice.
        assertThat(m.predictions()).isBetween((long) (DEVICES * (STEPS - WINDOW + 1L) * 0.94),
                DEVICES * (STEPS - WINDOW + 1L));
        assertThat(o.predictions()).doesNotHaveDuplicates();
        assertThat(o.rows()).isEqualTo(DEVICES * (long) STEPS);
        assertThat(o.stored().values()).allSatisfy(rs -> assertThat(rs).hasSize(STEPS));
        System.out.printf("late+duplicate stream: %d readings delivered, %d stored rows, %d predictions, "
                        + "%d failed, %d out of order, %d replaced%n", delivered.size(), o.rows(), m.predictions(),
                m.predictorErrors(), m.readingsOutOfOrder(), m.readingsReplaced());
    }

    @Test
    void orderedShuffledAndDuplicatedDeliveries_giveTheSameStoredData_predictionsAndAlerts() {
        // Shuffling moves a reading by up to 60 positions: 3 steps of 20 devices, 3 minutes of reading time.
        MonitoringPipeline.Builder options = MonitoringPipeline.builder().predictEvery(Duration.ofMinutes(10))
                .allowedLateness(Duration.ofMinutes(4), Duration.ofSeconds(30));
        Outcome inOrder = run("ordered", ordered, options);
        Outcome shuffled = run("shuffled", Disorder.shuffled(ordered, 60, 5), options);
        Outcome twice = run("duplicated", Disorder.duplicated(ordered, 0.05, 40, 6), options);

        assertThat(inOrder.predictions()).hasSize(DEVICES * 58);
        assertThat(inOrder.alerts()).isNotEmpty();
        for (Outcome o : List.of(shuffled, twice)) {
            assertThat(o.metrics().predictorErrors()).isZero();
            assertThat(o.stored()).isEqualTo(inOrder.stored());
            assertThat(o.rows()).isEqualTo(inOrder.rows());
            assertThat(o.predictions()).isEqualTo(inOrder.predictions());
            assertThat(o.alerts()).isEqualTo(inOrder.alerts());
        }
        assertThat(twice.metrics().readingsReceived()).isGreaterThan(inOrder.metrics().readingsReceived());
    }
}
