package io.iotpm.core.pipeline;

import io.iotpm.core.MonitoringListener;
import io.iotpm.core.Prediction;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.retention.Retainable;
import io.iotpm.core.retention.RetentionTask;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.stream.FleetStreamer;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.stream.Subscription;
import io.iotpm.core.stream.Topic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class MonitoringPipelineTest {

    private static final SensorSchema MOTOR = SensorSchema.industrialMotor();
    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

    private final StreamHub hub = StreamHub.inMemory().capacity(1024).build();
    private final TestStorage storage = new TestStorage(MOTOR);

    @AfterEach
    void tearDown() {
        hub.close();
    }

    private static Fleet fleet(int devices) {
        return Fleet.builder().devices(devices).idPrefix("PUMP_").seed(7).start(START)
                .interval(Duration.ofMinutes(1)).build();
    }

    private static void invariant(PipelineMetrics m) {
        assertThat(m.readingsStored() + m.readingsPending() + m.readingsRejected() + m.readingsLost())
                .as("every reading accounted for: %s", m).isEqualTo(m.readingsReceived());
    }

    @Test
    void endToEnd_storesEveryReadingInOrder_andPredictsEachDevicePerIntervalInMicroBatches() throws Exception {
        ThresholdPredictor predictor = new ThresholdPredictor(MOTOR, 30, "temperature", 70);
        List<Prediction> published = Collections.synchronizedList(new ArrayList<>());
        Subscription predictionsSub = hub.subscribe(Topic.PREDICTIONS, published::add);
        List<Prediction> heard = Collections.synchronizedList(new ArrayList<>());
        AtomicLong readingsHeard = new AtomicLong();
        MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub).storage(storage).predictor(predictor)
                .listener(new MonitoringListener() {
                    @Override
                    public void onReading(SensorReading reading) {
                        readingsHeard.incrementAndGet();
                    }

                    @Override
                    public void onPrediction(Prediction prediction) {
                        heard.add(prediction);
                    }
                })
                .predictEvery(Duration.ofMinutes(10)).predictionBatchSize(10).batchSize(100).build().start();
        Fleet fleet = fleet(10);
        FleetStreamer streamer = FleetStreamer.builder(hub).fleet(fleet).build();
        streamer.advance(360);   // six simulated hours
        pipeline.close();
        assertThat(predictionsSub.awaitIdle(Duration.ofSeconds(30))).isTrue();

        PipelineMetrics m = pipeline.metrics();
        invariant(m);
        assertThat(m.readingsReceived()).isEqualTo(3600);
        assertThat(m.readingsStored()).isEqualTo(3600);
        assertThat(storage.total()).isEqualTo(3600);
        assertThat(storage.batchSizes()).allMatch(n -> n <= 100);
        assertThat(readingsHeard.get()).isEqualTo(3600);
        for (String id : fleet.deviceIds()) {
            List<SensorReading> rs = storage.all(id);
            assertThat(rs).hasSize(360);
            for (int i = 0; i < rs.size(); i++) {
                assertThat(rs.get(i).timestamp()).isEqualTo(START.plus(Duration.ofMinutes(i)));
            }
        }
        // First full window at minute 29, then every 10 minutes: 29, 39, ..., 359 → 34 per device.
        assertThat(m.predictions()).isEqualTo(340);
        assertThat(published).hasSize(340);
        assertThat(heard).hasSize(340);
        Map<String, List<Instant>> times = published.stream().collect(Collectors.groupingBy(Prediction::deviceId,
                Collectors.mapping(Prediction::timestamp, Collectors.toList())));
        assertThat(times).hasSize(10);
        for (List<Instant> t : times.values()) {
            assertThat(t).hasSize(34).first().isEqualTo(START.plus(Duration.ofMinutes(29)));
            for (int i = 1; i < t.size(); i++) {
                assertThat(Duration.between(t.get(i - 1), t.get(i))).isEqualTo(Duration.ofMinutes(10));
            }
        }
        assertThat(predictor.batchSizes).contains(10).allMatch(n -> n <= 10);
        assertThat(predictor.batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(340);
        assertThat(m.predictorErrors()).isZero();
    }

    @Test
    void predictEveryReadings_makesAWindowDueEveryNReadings() {
        ThresholdPredictor predictor = new ThresholdPredictor(MOTOR, 5, "temperature", 70);
        MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub).predictor(predictor)
                .predictEveryReadings(5).predictionBatchSize(1).build().start();
        FleetStreamer.builder(hub).fleet(fleet(1)).build().advance(50);
        pipeline.close();
        // Due at readings 5, 10, ..., 50.
        assertThat(pipeline.metrics().predictions()).isEqualTo(10);
    }

    @Test
    void aPaddingPredictor_isAskedFromItsMinimumHistoryOn_withTheShortWindow() {
        ThresholdPredictor predictor = new ThresholdPredictor(MOTOR, 10, "temperature", 70, 4);
        MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub).predictor(predictor)
                .predictEveryReadings(1).predictionBatchSize(1).build().start();
        FleetStreamer.builder(hub).fleet(fleet(1)).build().advance(12);
        pipeline.close();
        // Readings 4 to 12 each make a window due: 4, 5, ..., 10 readings, then full windows of 10.
        assertThat(pipeline.metrics().predictions()).isEqualTo(9);
        assertThat(predictor.windows).extracting(List::size).containsExactly(4, 5, 6, 7, 8, 9, 10, 10, 10);
    }

    @Test
    void rejectsAPredictorWhoseMinimumHistoryExceedsItsWindow() {
        ThresholdPredictor predictor = new ThresholdPredictor(MOTOR, 5, "temperature", 70, 6);
        assertThatThrownBy(() -> MonitoringPipeline.builder().hub(hub).predictor(predictor).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("predictor.minHistory() must be in [1, sequenceLength() 5], but was 6");
    }

    @Test
    void storageOutage_isRetriedWithBackoff_andNoReadingIsLost() {
        storage.failNext.set(5);
        MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub).storage(storage).batchSize(50)
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).build().start();
        FleetStreamer.builder(hub).fleet(fleet(5)).build().advance(200);
        pipeline.close();
        PipelineMetrics m = pipeline.metrics();
        invariant(m);
        assertThat(m.storageErrors()).isEqualTo(5);
        assertThat(m.readingsStored()).isEqualTo(1000);
        assertThat(m.readingsLost()).isZero();
        assertThat(storage.total()).isEqualTo(1000);
    }

    @Test
    void longStorageOutage_pushesBackOnTheHubInsteadOfBufferingWithoutBound() throws Exception {
        storage.failNext.set(30);
        MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub).storage(storage).batchSize(10)
                .maxBufferedReadings(40).capacity(16)
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2)).build().start();
        FleetStreamer.builder(hub).fleet(fleet(4)).build().advance(100);
        assertThat(pipeline.metrics().readingsPending()).isLessThanOrEqualTo(40);
        pipeline.close();
        PipelineMetrics m = pipeline.metrics();
        invariant(m);
        assertThat(m.readingsStored()).isEqualTo(400);
        assertThat(storage.total()).isEqualTo(400);
        assertThat(m.storageErrors()).isEqualTo(30);
    }

    @Test
    void readingTheStorageRefuses_isRejectedAlone_countedAndTheRestStored() {
        SensorSchema other = SensorSchema.builder("other")
                .channel(io.iotpm.core.Channel.builder("x").unit("u").nominal(0).normalRange(0, 1).physicalRange(0, 1))
                .build();
        MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub).storage(storage).batchSize(20)
                .build().start();
        FleetStreamer streamer = FleetStreamer.builder(hub).fleet(fleet(2)).build();
        streamer.advance(10);
        hub.publish(SensorReading.of("ODD_1", START, other, 0.5));
        streamer.advance(10);
        pipeline.close();
        PipelineMetrics m = pipeline.metrics();
        invariant(m);
        assertThat(m.readingsRejected()).isEqualTo(1);
        assertThat(m.readingsStored()).isEqualTo(40);
        assertThat(storage.count("ODD_1")).isZero();
    }

    @Test
    void permanentlyFailingStorage_atClose_countsTheUnstoredReadingsAsLost() {
        storage.failNext.set(Integer.MAX_VALUE);
        MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub).storage(storage).batchSize(1000)
                .retryBackoff(Duration.ofMillis(5), Duration.ofMillis(20)).closeTimeout(Duration.ofMillis(200))
                .build().start();
        FleetStreamer.builder(hub).fleet(fleet(3)).build().advance(100);
        pipeline.close();
        PipelineMetrics m = pipeline.metrics();
        invariant(m);
        assertThat(m.readingsLost()).isEqualTo(300);
        assertThat(m.readingsStored()).isZero();
        assertThat(m.storageErrors()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void failingPredictor_isRetriedPerWindow_andOnlyTheBadDeviceLosesItsPredictions() {
        ThresholdPredictor predictor = new ThresholdPredictor(MOTOR, 10, "temperature", 70);
        predictor.failBatches.set(3);
        predictor.failDevice = "PUMP_002";
        MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub).storage(storage).predictor(predictor)
                .predictEveryReadings(10).predictionBatchSize(3).build().start();
        FleetStreamer.builder(hub).fleet(fleet(3)).build().advance(100);
        pipeline.close();
        PipelineMetrics m = pipeline.metrics();
        // Each device is due at readings 10, 20, ..., 100: 10 windows each.
        assertThat(m.predictions()).isEqualTo(20);
        assertThat(m.predictorErrors()).isEqualTo(10);
        assertThat(m.readingsStored()).isEqualTo(300);
    }

    @Test
    void throwingListener_isIsolated_andTheOthersHearEverything() {
        AtomicLong good = new AtomicLong();
        MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub)
                .listener(new MonitoringListener() {
                    @Override
                    public void onReading(SensorReading reading) {
                        throw new IllegalStateException("listener bug");
                    }
                })
                .listener(new MonitoringListener() {
                    @Override
                    public void onReading(SensorReading reading) {
                        good.incrementAndGet();
                    }
                }).build().start();
        FleetStreamer.builder(hub).fleet(fleet(2)).build().advance(50);
        pipeline.close();
        assertThat(good.get()).isEqualTo(100);
        assertThat(pipeline.metrics().listenerErrors()).isEqualTo(100);
    }

    @Test
    void batches_areWrittenWhenTheirTimeIsUp_withoutWaitingForClose() throws Exception {
        MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub).storage(storage).batchSize(1_000_000)
                .batchTime(Duration.ofMillis(20)).build().start();
        FleetStreamer.builder(hub).fleet(fleet(2)).build().advance(10);
        await().atMost(Duration.ofSeconds(20)).until(() -> storage.total() >= 20);
        assertThat(storage.total()).isEqualTo(20);
        pipeline.close();
    }

    @Test
    void slowStorageWrite_doesNotHoldUpListeners_andEveryReadingIsStoredInOrderAfterIt() {
        storage.gate = new CountDownLatch(1);
        AtomicLong heard = new AtomicLong();
        MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub).storage(storage).batchSize(10)
                .listener(new MonitoringListener() {
                    @Override
                    public void onReading(SensorReading reading) {
                        heard.incrementAndGet();
                    }
                }).build().start();
        Fleet fleet = fleet(2);
        FleetStreamer.builder(hub).fleet(fleet).build().advance(50);
        // The first write is stuck in the storage; the hub's worker still hands on every reading.
        await().atMost(Duration.ofSeconds(20)).until(() -> heard.get() == 100);
        assertThat(storage.total()).isZero();
        storage.gate.countDown();
        pipeline.close();
        assertThat(storage.total()).isEqualTo(100);
        assertThat(storage.batchSizes()).allMatch(n -> n <= 10);
        for (String id : fleet.deviceIds()) {
            assertThat(storage.all(id)).extracting(SensorReading::timestamp).isSorted().hasSize(50);
        }
    }

    @Test
    void close_flushesWhatIsBuffered_andStopsItsThreads() {
        MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub).storage(storage).batchSize(1_000_000)
                .batchTime(Duration.ofHours(1)).name("flushme").build().start();
        FleetStreamer.builder(hub).fleet(fleet(4)).build().advance(25);
        pipeline.close();
        pipeline.close();
        assertThat(storage.total()).isEqualTo(100);
        assertThat(storage.batchSizes()).containsExactly(100);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.isAlive()
                && (t.getName().startsWith("iotpm-pipeline-flushme") || t.getName().startsWith("iotpm-hub-flushme")));
    }

    @Test
    void retentionTask_runsWhileThePipelineRuns_andIsClosedWithIt() {
        AtomicLong cutoffs = new AtomicLong();
        RetentionTask task = RetentionTask.builder().target(Retainable.of("readings", cutoff -> {
            cutoffs.incrementAndGet();
            return storage.deleteBefore(cutoff);
        }), Duration.ofMinutes(30)).every(Duration.ofMillis(10)).initialDelay(Duration.ZERO)
                .clock(Clock.fixed(START.plus(Duration.ofHours(1)), ZoneOffset.UTC)).build();
        MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub).storage(storage).retention(task)
                .batchSize(1).build();
        assertThat(pipeline.retentionMetrics().runs()).isZero();
        pipeline.start();
        FleetStreamer.builder(hub).fleet(fleet(1)).build().advance(60);
        await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.retentionMetrics().removed().get("readings") == 30);
        pipeline.close();
        assertThat(storage.total()).isEqualTo(30);
        long runs = cutoffs.get();
        assertThatThrownBy(task::runOnce).hasMessageContaining("closed");
        assertThat(cutoffs.get()).isEqualTo(runs);
    }

    @Test
    void builder_checksItsSettings() {
        assertThatThrownBy(() -> MonitoringPipeline.builder().storage(storage).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("hub");
        assertThatThrownBy(() -> MonitoringPipeline.builder().hub(hub).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("storage");
        assertThatThrownBy(() -> MonitoringPipeline.builder().hub(hub).storage(storage)
                .predictEvery(Duration.ofMinutes(1)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("predictor");
        assertThatThrownBy(() -> MonitoringPipeline.builder().batchSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was 0");
        assertThatThrownBy(() -> MonitoringPipeline.builder().predictEvery(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> MonitoringPipeline.builder().retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT1S");
    }
}
