package io.iotpm.ml.anomaly;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.FailureEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.ml.Synthetic;
import io.iotpm.ml.TrainingSet;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Lead times on run-to-failure series: a detector trained on the early life of some synthetic
 * devices raises its alarm during the 40-step {@code load} ramp before the failure of others.
 */
class AnomalyEvaluationTest {

    private static final int EARLY = 70;

    @Test
    void leadTimes_alarmDuringTheRampBeforeFailure_andRarelyInEarlyLife() {
        Synthetic fleet = Synthetic.fleet(16, 400, 11);
        // Run to failure: each device's readings up to its first failure, and that failure.
        Map<String, Instant> firstFailure = fleet.events.stream().filter(e -> e instanceof FailureEvent)
                .collect(Collectors.toMap(DeviceEvent::deviceId, DeviceEvent::timestamp, (a, b) -> a.isBefore(b) ? a : b));
        List<SensorReading> runs = fleet.readings.stream()
                .filter(r -> !r.timestamp().isAfter(firstFailure.get(r.deviceId()))).toList();
        List<DeviceEvent> failures = new ArrayList<>();
        firstFailure.forEach((id, t) -> failures.add(new FailureEvent(id, t, "overload")));
        TrainingSet all = TrainingSet.of(runs, failures);
        // Early life must be healthy (the ramp starts 40 steps before the failure) and span temp's
        // 63-step cycle, or later phases of normal operation look abnormal.
        Instant healthyUntil = Synthetic.T0.plus(Duration.ofMinutes(EARLY + 40));
        List<String> eligible = all.deviceIds().stream().filter(id -> firstFailure.get(id).isAfter(healthyUntil)).toList();
        assertThat(eligible).hasSizeGreaterThanOrEqualTo(5);
        List<String> trainIds = eligible.subList(0, eligible.size() - 2);
        List<String> testIds = eligible.subList(eligible.size() - 2, eligible.size());
        List<SensorReading> early = AnomalyEvaluation.earlyLife(
                runs.stream().filter(r -> trainIds.contains(r.deviceId())).toList(), EARLY);
        assertThat(early).hasSize(trainIds.size() * EARLY);
        try (AnomalyDetector d = AnomalyDetectorTest.small().epochs(10).thresholdPercentile(99).build()) {
            d.train(TrainingSet.of(early, List.of()));
            AnomalyEvaluation.LeadTimes lt = AnomalyEvaluation.leadTimes(d, all.devices(testIds), EARLY, 2);
            assertThat(lt.devices()).isEqualTo(2);
            assertThat(lt.detected()).isEqualTo(2);
            // The alarm comes within the ramp, not before it.
            assertThat(lt.leadTimes()).allSatisfy(l -> assertThat(l).isBetween(0.0, 40.0));
            assertThat(lt.medianLeadTime()).isEqualTo((lt.leadTimes().get(0) + lt.leadTimes().get(1)) / 2);
            assertThat(lt.earlyWindows()).isEqualTo(2 * (EARLY - AnomalyDetectorTest.small().config().sequenceLength() + 1));
            assertThat(lt.falseAlarmRate()).isLessThanOrEqualTo(0.1);
        }
    }

    @Test
    void leadTimes_rejectsBadArguments() {
        try (AnomalyDetector d = AnomalyDetectorTest.small().build()) {
            assertThatThrownBy(() -> AnomalyEvaluation.leadTimes(d, Synthetic.fleet(1, 50, 1).set(), 10, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("were 0 and 10");
        }
        assertThatThrownBy(() -> AnomalyEvaluation.earlyLife(List.of(), 0)).hasMessageContaining("but was 0");
    }
}
