package io.iotpm.core.pipeline;

import io.iotpm.core.MonitoringListener;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.stream.Topic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** How the pipeline's windows take readings that arrive late, twice or out of order. */
class MonitoringPipelineLateReadingsTest {

    private static final SensorSchema MOTOR = SensorSchema.industrialMotor();
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    private final StreamHub hub = StreamHub.inMemory().capacity(1024).build();
    private final ThresholdPredictor predictor = new ThresholdPredictor(MOTOR, 4, "temperature", 70);
    private final List<SensorReading> heard = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void tearDown() {
        hub.close();
    }

    /** Reading at minute {@code m} whose temperature is {@code temp}. */
    private static SensorReading at(int m, double temp) {
        double[] v = new double[MOTOR.size()];
        v[MOTOR.requireIndex("temperature")] = temp;
        return SensorReading.of("PUMP_1", T0.plus(Duration.ofMinutes(m)), MOTOR, v);
    }

    private static SensorReading at(int m) {
        return at(m, m);
    }

    private MonitoringPipeline.Builder pipeline() {
        return MonitoringPipeline.builder().hub(hub).predictor(predictor).predictEveryReadings(1)
                .predictionBatchSize(1).listener(new MonitoringListener() {
                    @Override
                    public void onReading(SensorReading reading) {
                        heard.add(reading);
                    }
                });
    }

    private void publish(SensorReading... readings) {
        for (SensorReading r : readings) {
            hub.publish(Topic.READINGS, r);
        }
    }

    private static List<Double> temps(List<SensorReading> window) {
        return window.stream().map(r -> r.value("temperature")).toList();
    }

    @Test
    void lateReadingInsideTheWindow_isInsertedInTimeOrder_andMakesNoPredictionOfItsOwn() {
        MonitoringPipeline p = pipeline().build().start();
        publish(at(0), at(1), at(3), at(4), at(2), at(5));
        p.close();
        // Windows due at 4 (0,1,3,4) and at 5, after minute 2 came in late: (2,3,4,5), not (3,4,2,5).
        assertThat(predictor.windows).extracting(MonitoringPipelineLateReadingsTest::temps)
                .containsExactly(List.of(0.0, 1.0, 3.0, 4.0), List.of(2.0, 3.0, 4.0, 5.0));
        assertThat(p.metrics().readingsOutOfOrder()).isEqualTo(1);
        assertThat(p.metrics().readingsReplaced()).isZero();
        assertThat(p.metrics().predictorErrors()).isZero();
    }

    @Test
    void readingWithATimestampInTheWindow_replacesThatReading_lastWriteWins() {
        MonitoringPipeline p = pipeline().build().start();
        publish(at(0), at(1), at(2), at(3), at(1, 100), at(1, 101), at(4));
        p.close();
        assertThat(predictor.windows).extracting(MonitoringPipelineLateReadingsTest::temps)
                .containsExactly(List.of(0.0, 1.0, 2.0, 3.0), List.of(101.0, 2.0, 3.0, 4.0));
        assertThat(p.metrics().readingsOutOfOrder()).isEqualTo(2);
        assertThat(p.metrics().readingsReplaced()).isEqualTo(2);
    }

    @Test
    void readingOlderThanTheWholeWindow_leavesItAlone_butIsStoredAndHeard() {
        TestStorage storage = new TestStorage(MOTOR);
        MonitoringPipeline p = pipeline().storage(storage).build().start();
        publish(at(5), at(6), at(7), at(8), at(1), at(9));
        p.close();
        assertThat(predictor.windows).extracting(MonitoringPipelineLateReadingsTest::temps)
                .containsExactly(List.of(5.0, 6.0, 7.0, 8.0), List.of(6.0, 7.0, 8.0, 9.0));
        assertThat(storage.total()).isEqualTo(6);
        assertThat(heard).hasSize(6);
        assertThat(p.metrics().readingsOutOfOrder()).isEqualTo(1);
    }

    @Test
    void oneLateReading_doesNotBlockTheDevicesPredictions() {
        MonitoringPipeline p = pipeline().build().start();
        publish(at(0), at(1), at(2), at(4), at(3));
        publish(IntStream.range(5, 30).mapToObj(MonitoringPipelineLateReadingsTest::at).toArray(SensorReading[]::new));
        p.close();
        // Due on every newer reading once the window is full: minute 4, then 5 ... 29; the late 3 is
        // inserted and none is skipped.
        assertThat(predictor.windows).hasSize(26).allSatisfy(w -> assertThat(w).isSortedAccordingTo(
                (a, b) -> a.timestamp().compareTo(b.timestamp())));
        assertThat(p.metrics().predictorErrors()).isZero();
    }

    @Test
    void allowedLateness_putsABoundedDisorderBackInOrder_forListenersAndWindows_andHoldsARepeatOnce()
            throws InterruptedException {
        MonitoringPipeline p = pipeline().allowedLateness(Duration.ofMinutes(2), Duration.ofMinutes(10))
                .build().start();
        publish(at(1), at(0), at(3), at(2), at(2), at(5), at(4), at(6), at(7));
        assertThat(p.subscription().awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(heard).extracting(r -> r.value("temperature")).containsExactly(0.0, 1.0, 2.0, 3.0, 4.0, 5.0);
        p.flush();
        // Held until a reading two minutes newer arrives; flush releases the rest.
        assertThat(heard).extracting(r -> r.value("temperature"))
                .containsExactly(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0);
        assertThat(predictor.windows).extracting(MonitoringPipelineLateReadingsTest::temps)
                .containsExactly(List.of(0.0, 1.0, 2.0, 3.0), List.of(1.0, 2.0, 3.0, 4.0),
                        List.of(2.0, 3.0, 4.0, 5.0), List.of(3.0, 4.0, 5.0, 6.0), List.of(4.0, 5.0, 6.0, 7.0));
        p.close();
        assertThat(p.metrics().readingsOutOfOrder()).isZero();
    }

    @Test
    void allowedLateness_releasesAQuietDevicesReadingsAfterMaxWaitOfTickerTime() throws InterruptedException {
        AtomicLong now = new AtomicLong();
        MonitoringPipeline p = pipeline().ticker(now::get)
                .allowedLateness(Duration.ofHours(1), Duration.ofSeconds(5)).batchTime(Duration.ofMillis(20))
                .predictionDelay(Duration.ofMillis(20)).build().start();
        publish(at(0), at(1));
        p.subscription().awaitIdle(Duration.ofSeconds(10));
        assertThat(heard).isEmpty();
        now.set(Duration.ofSeconds(5).toNanos());
        await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 2);
        p.close();
    }

    @Test
    void allowedLateness_mustBePositive() {
        assertThatThrownBy(() -> MonitoringPipeline.builder().allowedLateness(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> MonitoringPipeline.builder().allowedLateness(Duration.ofMinutes(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWait");
    }
}
